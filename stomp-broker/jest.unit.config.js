// stomp-broker-unit: the server-free tests (jest.split.js, jest.server-free.js).
module.exports = require('../jest.split.js').unitProject(
  __dirname,
  require('./jest.server-free.js'),
);
