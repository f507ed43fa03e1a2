export { default } from '../src/testing/jest-teardown';
