// server-service: the tests that need the servers; the server-free ones are server-service-unit's
// (jest.unit.config.js).
module.exports = require('../jest.split.js').withoutServerFree(
  {
    ...require('../jest.preset.js')(__dirname),
    globalSetup: '<rootDir>/test/global-setup.ts',
    globalTeardown: '<rootDir>/test/global-teardown.ts',
    // Real Postgres, Kafka and Keycloak round trips; servers may be cold-starting.
    testTimeout: 60_000,
    setupFilesAfterEnv: ['<rootDir>/test/jest-timeout.ts'],
  },
  require('./jest.server-free.js'),
);
