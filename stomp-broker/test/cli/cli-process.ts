import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const tsx = join(__dirname, '../../../node_modules/.bin/tsx');
const cli = join(__dirname, '../../src/cli.ts');

/** A CLI process run from the sources, as `stomp-broker …`. */
export interface CliProcess {
  /** `ws://…` it listens on. */
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr holds a line matching `pattern`. */
  waitForStderr(pattern: RegExp, ms?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

function spawnCli(args: string[], input?: string) {
  const child = spawn(tsx, [cli, ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, out: () => out, err: () => err };
}

/** Runs the CLI to its end: exit code and output. */
export async function runCli(args: string[], input?: string) {
  const { exited, out, err } = spawnCli(args, input ?? '');
  const code = await exited;
  return { code, stdout: out(), stderr: err() };
}

/** Starts the CLI on a free port and resolves once it listens; stop it in afterAll/afterEach. */
export async function startCli(args: string[]): Promise<CliProcess> {
  const { child, exited, out, err } = spawnCli(['--port', '0', ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /listening on (ws:\/\/\S+)/.exec(out());
      if (match) {
        child.stdout.off('data', look);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) =>
      reject(new Error(`the CLI exited (${code}) before listening:\n${out()}\n${err()}`)),
    );
  });
  return {
    url,
    child,
    stdout: out,
    stderr: err,
    async waitForStderr(pattern, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = err()
          .split('\n')
          .find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (Date.now() > deadline)
          throw new Error(`no ${pattern} on stderr in ${ms} ms:\n${err()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
