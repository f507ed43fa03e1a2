// stompjs' own specs (spec/unit) in headless Chromium, as its CI runs them, with only the karma
// plugins that needs (its spec/karma.conf.js also loads Firefox, Edge and Safari launchers, one
// of them from GitHub). STOMPJS_DIR is the stompjs work tree; see run-stompjs.sh.
const path = require('node:path');

const dir = process.env.STOMPJS_DIR;
if (!dir) throw new Error('set STOMPJS_DIR to the stompjs work tree');

module.exports = (config) =>
  config.set({
    basePath: path.join(dir, 'spec'),
    frameworks: ['jasmine'],
    plugins: [
      require(path.join(dir, 'node_modules/karma-jasmine')),
      require(path.join(dir, 'node_modules/karma-chrome-launcher')),
    ],
    // The same files, in the same order, as stompjs' spec/karma.conf.js.
    files: [
      '../bundles/stomp.umd.js',
      'config/browser-config.js',
      'helpers/**/*.js',
      'unit/**/*.js',
    ],
    reporters: ['dots'],
    browsers: ['ChromiumHeadlessNoSandbox'],
    customLaunchers: {
      ChromiumHeadlessNoSandbox: {
        base: 'ChromiumHeadless',
        flags: ['--no-sandbox', '--disable-gpu'],
      },
    },
    client: { captureConsole: false, jasmine: { random: true } },
    browserNoActivityTimeout: 120_000,
    singleRun: true,
    concurrency: 1,
  });
