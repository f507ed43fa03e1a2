export { jestSetupFor, startedByThisRun } from './jest-setup';
export { default as jestTeardown } from './jest-teardown';
