export { default } from '@echopulse/infra/testing/jest-teardown';
