// Tests across workspaces: the whole system through a real browser (*.e2e.test.ts, which owns
// ports 8080-8082), and the contracts between services (server-service feeding chat-service's
// projection, a chat-service cluster losing an instance, compose.yaml against both configs).
module.exports = {
  ...require('../jest.preset.js')(__dirname),
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/jest-timeout.ts'],
};
