export { default } from '../../infra/src/testing/jest-teardown';
