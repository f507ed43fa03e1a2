// Like global-setup.ts: infra's sources by path, since jest loads this without moduleNameMapper.
export { default } from '../../infra/src/testing/jest-teardown';
