// Which of chat-service's tests need no server (jest.split.js): besides every *.unit.test.ts,
// these pure tests, written before the split.
module.exports = {
  unit: [
    'src/config.test.ts',
    'src/gateway/replay.test.ts',
    'src/gateway/session-expiry.test.ts',
    'src/guild-events/guild-events.test.ts',
    'src/messages/message-input.test.ts',
    'src/pipeline/chat-records.test.ts',
  ],
};
