// `npm start`: the whole system on this machine. Brings up the infrastructure, builds and starts
// each application that exists yet (server-service, chat-service, web-vue), waits until each
// answers, prints where to go, and on Ctrl-C (SIGINT) or SIGTERM stops every application it
// started (the servers keep running; `npm run infra:down` stops them).
// `npm run dev` (--dev) is the same with the web app on Vite's development server (hot reload)
// instead of its production build.
// Each application runs in its own process group (npm, its shell, node): stopping signals the
// whole group, so nothing is left behind as an orphan. Only a SIGKILL of this process itself
// leaves them running (their pids are printed at start).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpoints, InfraError, up } from '../infra/src';

const root = join(__dirname, '..');

interface App {
  workspace: string;
  url: string;
  /** Answers 200 once the app is ready. */
  health: string;
  what: string;
}

const apps: App[] = [
  {
    workspace: 'server-service',
    url: 'http://localhost:8081/docs',
    health: 'http://127.0.0.1:8081/health/ready',
    what: 'server-service (Swagger UI)',
  },
  {
    workspace: 'chat-service',
    url: 'http://localhost:8082/docs',
    health: 'http://127.0.0.1:8082/health/ready',
    what: 'chat-service (Swagger UI, STOMP at ws://localhost:8082/ws)',
  },
  {
    workspace: 'web-vue',
    url: 'http://localhost:8080',
    health: 'http://127.0.0.1:8080/',
    what: 'EchoPulse web app — open this',
  },
];

const say = (message: string) => process.stdout.write(`[start] ${message}\n`);

/** `npm run dev`: the web app from Vite's development server, not built. */
const dev = process.argv.includes('--dev');
const scriptOf = (app: App) => (dev && app.workspace === 'web-vue' ? 'dev' : 'start');
/** How long an application may take to stop before it is killed (services wait 10 s for requests). */
const stopTimeoutMs = 20_000;

/** What this process started and still runs, each the leader of its own process group. */
const running = new Map<ChildProcess, string>();
let stopping = false;

function spawnGroup(what: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true });
  running.set(child, what);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Whether any process of the group led by `pid` is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM to every group started, then waits until they are gone; SIGKILL after the timeout. */
async function stopAll(): Promise<void> {
  const groups = [...running].flatMap(([child, what]) =>
    child.pid ? [{ pid: child.pid, what }] : [],
  );
  for (const { pid } of groups) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + stopTimeoutMs;
  while (groups.some((g) => groupAlive(g.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const { pid, what } of groups.filter((g) => groupAlive(g.pid))) {
    say(`${what} did not stop within ${stopTimeoutMs / 1000} s; killing it (SIGKILL)`);
    signalGroup(pid, 'SIGKILL');
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): act once
  if (stopping) return;
  stopping = true;
  say(
    `${signal}: stopping ${[...running.values()].join(', ') || 'nothing started yet'} (the servers keep running; npm run infra:down stops them)`,
  );
  void stopAll().then(() => {
    say('stopped');
    process.exit(0);
  });
}

function hasScript(workspace: string, script: string): boolean {
  const manifest = join(root, workspace, 'package.json');
  if (!existsSync(manifest)) return false;
  return Boolean(
    (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts?.[
      script
    ],
  );
}

async function waitForHealth(app: App, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${app.workspace} exited with code ${child.exitCode}; its output is above`);
    try {
      if ((await fetch(app.health, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - lastReport > 5000) {
      say(`waiting for ${app.workspace}…`);
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${app.workspace} did not answer ${app.health} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await up();
  const present = apps.filter((app) => hasScript(app.workspace, scriptOf(app)));
  // Vite's development server compiles the app's sources itself
  const toBuild = present.filter((app) => scriptOf(app) === 'start');

  if (toBuild.length && !stopping) {
    say(`building ${toBuild.map((a) => a.workspace).join(', ')}`);
    const build = spawnGroup('the build', 'npm', [
      'run',
      'build',
      ...toBuild.flatMap((a) => ['-w', a.workspace]),
    ]);
    const [code] = (await once(build, 'exit')) as [number | null];
    if (stopping) return;
    if (code !== 0)
      throw new Error('the build failed; its errors are above — fix them and run npm start again');
  }
  const children: ChildProcess[] = [];
  for (const app of present) {
    if (stopping) return;
    const child = spawnGroup(app.workspace, 'npm', [scriptOf(app), '-w', app.workspace]);
    say(`${app.workspace} started (pid ${child.pid}, its own process group)`);
    children.push(child);
    await waitForHealth(app, child);
  }
  if (stopping) return;

  const { keycloak } = endpoints;
  const rows = [
    ...present.map((a) => [a.url, a.what]),
    [
      `${keycloak.url}/admin`,
      `Keycloak admin console (${keycloak.adminUser} / ${keycloak.adminPassword})`,
    ],
    ['', 'dev users: alice, bob, carol, mod, admin — password echopulse'],
  ];
  say('EchoPulse is running:');
  for (const [url, what] of rows) process.stdout.write(`    ${url!.padEnd(34)} ${what}\n`);
  const missing = apps.filter((a) => !present.includes(a)).map((a) => a.workspace);
  if (missing.length) say(`not built yet, so not started: ${missing.join(', ')}`);

  if (!children.length) {
    say('infrastructure only for now; stop it with: npm run infra:down');
    return;
  }
  say(
    'press Ctrl-C to stop the applications (the servers keep running; npm run infra:down stops them)',
  );
  // an application that stops on its own takes the others with it: half a system misleads
  const [child, code] = await Promise.race(
    children.map((c) => once(c, 'exit').then(([exitCode]) => [c, exitCode] as const)),
  );
  if (stopping) return;
  stopping = true;
  const what = present[children.indexOf(child)]!.workspace;
  say(`${what} stopped on its own (exit code ${code}); stopping the others`);
  await stopAll();
  process.exit(1);
}

main().catch(async (error: unknown) => {
  const message =
    error instanceof InfraError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`\n[start] FAILED ${message}\n`);
  // nothing started is left behind
  if (!stopping) {
    stopping = true;
    await stopAll();
  }
  process.exit(1);
});
