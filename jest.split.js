// Splits a workspace's tests into two jest projects: `<workspace>-unit`, the tests that need no
// server (npm run test:unit runs them with nothing started; npm test runs them too, once), and
// `<workspace>`, the rest, with the servers its global set-up makes sure of. A test is server-free
// when its file name ends in `.unit.test.ts`, or when the workspace's jest.server-free.js names it
// (tests written before the split keep their names). Paths are relative to the workspace.
const path = require('node:path');
const preset = require('./jest.preset.js');

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {string} rootDir the workspace
 * @param {string[]} paths files, or folders ending in /
 */
function pattern(rootDir, paths) {
  const anchored = paths.map(
    (p) => escapeRegex(path.join(rootDir, p)) + (p.endsWith('/') ? '' : '$'),
  );
  return `(${anchored.join('|')})`;
}

/**
 * A regex matching the server-free tests' paths. `split` names them (`unit`), or, for a workspace
 * with few others, names the tests that stay in the integration project (`integration`: those
 * that need a server, or are too slow for npm run test:unit, such as ones spawning processes).
 * @param {{ unit?: string[], integration?: string[] }} split
 */
function serverFreeTests(rootDir, { unit: serverFree = [], integration }) {
  const unitNamed = '\\.unit\\.test\\.ts$';
  if (integration) return `^(?!${pattern(rootDir, integration)}).*`;
  return serverFree.length
    ? `(${unitNamed}|${pattern(rootDir, serverFree).slice(1, -1)})`
    : unitNamed;
}

/** The `<workspace>-unit` project: server-free tests only, no global set-up, no server ports. */
function unitProject(rootDir, split) {
  const base = preset(rootDir);
  return {
    ...base,
    displayName: `${base.displayName}-unit`,
    testPathIgnorePatterns: ['/node_modules/', `^(?!.*${serverFreeTests(rootDir, split)})`],
    setupFilesAfterEnv: [path.join(__dirname, 'scripts/jest-no-servers.js')],
  };
}

/** The workspace's integration project (`config`) without its server-free tests. */
function withoutServerFree(config, split) {
  return {
    ...config,
    testPathIgnorePatterns: [
      ...(config.testPathIgnorePatterns ?? ['/node_modules/']),
      serverFreeTests(config.rootDir, split),
    ],
  };
}

module.exports = { unitProject, withoutServerFree };
