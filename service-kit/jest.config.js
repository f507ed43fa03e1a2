// Every service-kit test is server-free (npm run test:unit runs this project whole); the guard
// of the unit projects (jest.split.js) keeps them so.
module.exports = {
  ...require('../jest.preset.js')(__dirname),
  setupFilesAfterEnv: [require.resolve('../scripts/jest-no-servers.js')],
};
