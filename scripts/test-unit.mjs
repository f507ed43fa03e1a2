// npm run test:unit — the tests that need no server, in one jest run with nothing started (no
// Postgres, Redis, Kafka or Keycloak; web-vue's session test runs its own STOMP broker in-process),
// then how long it took. Extra arguments go to jest (a path, -t "name", --watch).
//
// A jest project joins this list once none of its tests needs a server. A workspace that has both
// kinds splits them with jest.split.js: its jest.unit.config.js is the `<workspace>-unit` project
// (every *.unit.test.ts and the pure tests its jest.server-free.js names; it fails any test that
// reaches a server's port), its jest.config.js keeps the rest; the `-unit` project goes here.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const UNIT_PROJECTS = [
  'guild-contracts',
  'chat-contracts',
  'service-kit',
  'web-vue',
  'stomp-broker-unit',
  'server-service-unit',
  'chat-service-unit',
];

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const started = performance.now();
const child = spawn(
  process.execPath,
  [jest, '--selectProjects', ...UNIT_PROJECTS, '--', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`test:unit (${UNIT_PROJECTS.join(', ')}) took ${seconds} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
