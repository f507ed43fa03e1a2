// jsdom's window lacks structuredClone, which Node has and browsers have (the stores' test
// doubles use it); component tests get Node's algorithm through v8's serializer.
const v8 = require('node:v8');

if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = (value) => v8.deserialize(v8.serialize(value));
}
