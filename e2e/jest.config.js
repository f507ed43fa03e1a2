// The whole system through a real browser: one suite, run alone (it owns ports 8080-8082).
module.exports = {
  ...require('../jest.preset.js')(__dirname),
  testMatch: ['<rootDir>/test/**/*.e2e.test.ts'],
};
