const preset = require('../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Servers may be cold-starting in other suites' setups; real network round trips.
  testTimeout: 60_000,
};
