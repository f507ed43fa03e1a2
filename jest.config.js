/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/*/jest.config.js'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // The machine has 2 cores; integration suites share one set of servers.
  maxWorkers: 2,
};
