// stomp-broker: the Redis relay's test (with Redis) and the CLI's; the rest is stomp-broker-unit's
// (jest.unit.config.js).
module.exports = require('../jest.split.js').withoutServerFree(
  {
    ...require('../jest.preset.js')(__dirname),
    globalSetup: '<rootDir>/test/global-setup.ts',
    globalTeardown: '<rootDir>/test/global-teardown.ts',
    testTimeout: 20_000,
  },
  require('./jest.server-free.js'),
);
