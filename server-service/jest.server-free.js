// Which of server-service's tests need no server (jest.split.js): besides every *.unit.test.ts,
// these pure tests, written before the split.
module.exports = {
  unit: [
    'src/common/positions.test.ts',
    'src/outbox/outbox.config.test.ts',
    'src/rate-limits/rate-limit.service.test.ts',
  ],
};
