// Stores, composables and the real-time session are tested in Node: they touch no DOM, and the
// browser APIs they need (WebSocket, storage) are injected. Component tests (beside the .vue files)
// say `@jest-environment jsdom` in their first comment and run in jsdom instead. Pinia ships only
// ES modules, so swc transforms it as well; .vue files go through jest/vue-sfc-transform.js.
const preset = require('../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    '^.+\\.vue$': '<rootDir>/jest/vue-sfc-transform.js',
  },
  moduleFileExtensions: [...preset.moduleFileExtensions, 'vue'],
  setupFiles: ['<rootDir>/jest/jsdom-globals.js'],
  // jsdom would pick the packages' "browser" builds (@vue/test-utils' expects a global Vue);
  // the CommonJS builds work in both environments
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  // openapi-typescript (the generated-types freshness test) requires a few ES-module-only packages
  transformIgnorePatterns: [
    '/node_modules/(?!(pinia|lowlight|devlop|gemoji|nostics|jose|openid-client|oauth4webapi|openapi-typescript|parse-json|index-to-position|supports-color|change-case)/)',
  ],
};
