/** @type {import('jest').Config} */
module.exports = {
  // Each workspace's project, and the server-free half of those split in two (jest.split.js).
  projects: ['<rootDir>/*/jest.config.js', '<rootDir>/*/jest.unit.config.js'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // The machine has 2 cores; integration suites share one set of servers.
  maxWorkers: 2,
  // testTimeout is a global option: jest ignores it in project configs when run with projects.
  // Integration tests make real network round trips to servers that may still be warming up.
  testTimeout: 60_000,
};
