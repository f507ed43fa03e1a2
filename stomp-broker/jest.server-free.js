// Which of stomp-broker's tests stay in the integration project (jest.split.js): the Redis
// relay's, which needs Redis, and the CLI's, which spawn the CLI as a process (half a minute).
// The rest run the broker in-process (over the in-memory transport or on port 0): stomp-broker-unit.
module.exports = { integration: ['test/redis-relay.test.ts', 'test/cli/'] };
