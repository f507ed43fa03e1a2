/* global beforeAll, afterAll */
// Set-up of the `-unit` jest projects (jest.split.js): a unit test that tries to reach Postgres,
// Redis, Kafka or Keycloak fails at once, saying so, instead of passing here only because the
// servers happen to run. Sockets of the test's own (an in-process broker on port 0) are fine.
// Patched for each test file and restored after it: the worker may run integration tests next.
const net = require('node:net');

const SERVER_PORTS = new Map([
  [5432, 'Postgres'],
  [6379, 'Redis'],
  [9092, 'Kafka'],
  [9093, 'Kafka'],
  [8180, 'Keycloak'],
]);
const original = net.Socket.prototype.connect;

/** The port of net.Socket#connect's arguments: (options | port | [options, cb], …). */
function portOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  return Number(typeof first === 'object' && first !== null ? first.port : first);
}

beforeAll(() => {
  net.Socket.prototype.connect = function connect(...args) {
    const server = SERVER_PORTS.get(portOf(args));
    if (server)
      throw new Error(
        `a unit test connected to ${server} (port ${portOf(args)}): unit projects run with no ` +
          'server; move the test to the integration project (jest.split.js) or give it a fake',
      );
    return original.apply(this, args);
  };
});

afterAll(() => {
  net.Socket.prototype.connect = original;
});
