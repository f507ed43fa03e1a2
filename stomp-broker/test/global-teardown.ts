// Imported by path for the same reason as global-setup.ts.
export { default } from '../../infra/src/testing/jest-teardown';
