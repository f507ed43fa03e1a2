// Stores and composables are tested in Node: they touch no DOM, and the browser APIs they need
// (WebSocket, storage) are injected. Pinia ships only ES modules, so swc transforms it as well.
const preset = require('../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  transformIgnorePatterns: ['/node_modules/(?!(pinia|nostics|jose|openid-client|oauth4webapi)/)'],
};
