// `npm start`: the whole system on this machine. Brings up the infrastructure, builds and starts
// each application that exists yet (server-service, chat-service, web-vue), waits until each
// answers, prints where to go, and stops the applications on Ctrl-C (the servers keep running;
// `npm run infra:down` stops them).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
  await up();
  const present = apps.filter((app) => hasScript(app.workspace, 'start'));
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (present.length) {
    say(`building ${present.map((a) => a.workspace).join(', ')}`);
    const build = spawnSync(
      'npm',
      ['run', 'build', ...present.flatMap((a) => ['-w', a.workspace])],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0)
      throw new Error('the build failed; its errors are above — fix them and run npm start again');
  }
  for (const app of present) {
    say(`starting ${app.workspace}`);
    const child = spawn('npm', ['start', '-w', app.workspace], { cwd: root, stdio: 'inherit' });
    children.push(child);
    await waitForHealth(app, child);
  }

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
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
}

main().catch((error: unknown) => {
  const message =
    error instanceof InfraError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`\n[start] FAILED ${message}\n`);
  process.exit(1);
});
