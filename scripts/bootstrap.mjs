#!/usr/bin/env node
// Runs before `npm start` and `npm test` on a fresh clone: installs the machine packages and the
// npm dependencies, each only when missing. No npm dependencies here.
//   node scripts/bootstrap.mjs [--for run|test] [--list]
// --for run (the default, npm start's prestart): what running the system needs,
//   infra/machine-packages.txt.
// --for test (npm test's pretest): that and what only the tests need (a browser, docker-compose
//   to validate compose.yaml, Python's venv), infra/machine-packages.test.txt.
// --list prints the machine packages the purpose needs, one per line, and installs nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stdout.write(`[bootstrap] ${msg}\n`);
const fail = (msg, next) => {
  process.stderr.write(`[bootstrap] ${msg}\n[bootstrap] next: ${next}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node.js ${process.versions.node} is too old`, 'install Node.js 20.19 or newer');
}

/** The package lists each purpose reads, in order. */
const lists = {
  run: ['infra/machine-packages.txt'],
  test: ['infra/machine-packages.txt', 'infra/machine-packages.test.txt'],
};

const args = process.argv.slice(2);
const forIndex = args.indexOf('--for');
const purpose = forIndex === -1 ? 'run' : args[forIndex + 1];
if (!Object.hasOwn(lists, purpose)) {
  fail(
    `--for ${purpose ?? '(nothing)'} is not a purpose bootstrap knows`,
    `use --for ${Object.keys(lists).join(' or --for ')}`,
  );
}

/** Debian packages and a file each installs, one per line in the purpose's lists. */
function machinePackages() {
  return lists[purpose].flatMap((list) =>
    readFileSync(join(root, list), 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((l) => l.split(/\s+/)),
  );
}

if (args.includes('--list')) {
  for (const [pkg] of machinePackages()) process.stdout.write(`${pkg}\n`);
  process.exit(0);
}

const missing = machinePackages()
  .filter(([, probe]) => !existsSync(probe))
  .map(([pkg]) => pkg);
if (missing.length) {
  const isRoot = process.getuid?.() === 0;
  const cmd = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    fail(
      `machine packages missing: ${missing.join(', ')}`,
      `run as root: apt-get update && ${cmd}`,
    );
  }
  say(`installing machine packages: ${missing.join(', ')} (apt-get, a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (!run(['install', '-y', '-q', ...missing])) {
    say('apt-get install failed; refreshing the package lists and trying once more');
    if (!run(['update', '-q']) || !run(['install', '-y', '-q', ...missing])) {
      fail('apt-get could not install ' + missing.join(' '), `run: apt-get update && ${cmd}`);
    }
  }
}

// npm dependencies: install when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules/.package-lock.json');
const stale =
  !existsSync(installed) ||
  (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
if (stale) {
  say('installing npm dependencies (npm install, about a minute on a fresh clone)');
  // Not `npm ci`: this machine's registry serves no other platforms' optional binaries (swc's,
  // esbuild's), so the lock file cannot list them and `npm ci` refuses it as out of sync.
  // `npm install` with the lock file present installs the locked versions all the same.
  const args = ['install', '--no-audit', '--no-fund'];
  try {
    execFileSync('npm', args, { cwd: root, stdio: 'inherit' });
  } catch {
    fail(
      'npm could not install the dependencies',
      'check the network to the npm registry, then run npm install',
    );
  }
}
