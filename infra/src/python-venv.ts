import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { infraHome, repoRoot } from './paths';
import { InfraError, say } from './report';

/** The Python packages the tests use (stomp.py for interop, schemathesis, …). */
export const pythonRequirements = join(repoRoot, 'infra/python-requirements.txt');

/** Where the virtual environment lives (git-ignored, like everything under .infra/). */
export const pythonVenvDir = join(infraHome, 'venv');

const stampFile = join(pythonVenvDir, '.requirements.sha256');
const lockFile = join(infraHome, 'venv.lock');

/**
 * A Python virtual environment under `.infra/venv` with `infra/python-requirements.txt` installed.
 * Creates the venv with `python3 -m venv` when it is missing or broken, and runs `pip install -r`
 * again whenever the requirements file changed since the last successful install (a SHA-256 stamp
 * in the venv remembers it). pip's output is shown as it runs. Safe to call from several processes
 * at once (jest workers): one installs, the others wait for it.
 *
 * @returns the absolute path of the venv's `python`.
 * @throws InfraError saying what failed and what to do about it.
 */
export async function ensurePythonVenv(): Promise<string> {
  const python = join(pythonVenvDir, 'bin/python');
  let requirements: Buffer;
  try {
    requirements = await readFile(pythonRequirements);
  } catch (error) {
    throw new InfraError(
      'python',
      `cannot read ${pythonRequirements}: ${(error as Error).message}`,
      'restore infra/python-requirements.txt from git',
    );
  }
  const hash = createHash('sha256').update(requirements).digest('hex');
  if (await upToDate(python, hash)) return python;

  await mkdir(infraHome, { recursive: true });
  const release = await lock();
  try {
    // Another process may have finished the same work while this one waited for the lock.
    if (await upToDate(python, hash)) return python;

    if (existsSync(pythonVenvDir) && !(await runs(python))) {
      say('python', `${pythonVenvDir} is broken (its python does not run); recreating it`);
      await rm(pythonVenvDir, { recursive: true, force: true });
    }
    if (!existsSync(python)) {
      say('python', `creating the virtual environment ${pythonVenvDir}`);
      await run('python3', ['-m', 'venv', pythonVenvDir], {
        what: 'python3 -m venv',
        next:
          'install Python 3 with its venv module (Debian: apt-get install python3 python3-venv), ' +
          `then run the tests again; delete ${pythonVenvDir} if it is half-made`,
      });
    }
    say(
      'python',
      `installing infra/python-requirements.txt into ${pythonVenvDir} (pip output follows)`,
    );
    await run(
      python,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', pythonRequirements],
      {
        what: 'pip install -r infra/python-requirements.txt',
        next:
          'read pip’s output above: check that PyPI is reachable (proxy, network) and that every ' +
          `line of infra/python-requirements.txt names a real package and version; delete ${pythonVenvDir} to start afresh`,
      },
    );
    await writeFile(stampFile, hash);
    say('python', 'requirements installed');
    return python;
  } finally {
    await release();
  }
}

async function upToDate(python: string, hash: string): Promise<boolean> {
  if (!existsSync(python)) return false;
  try {
    return (await readFile(stampFile, 'utf8')).trim() === hash;
  } catch {
    return false;
  }
}

function runs(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', 'import sys'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** Runs a command with its output shown as it comes; fails with its last lines and advice. */
function run(command: string, args: string[], help: { what: string; next: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONUNBUFFERED: '1' },
    });
    let tail = '';
    const show = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
      to.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', show(process.stdout));
    child.stderr.on('data', show(process.stderr));
    child.once('error', (error) =>
      reject(
        new InfraError(
          'python',
          `${help.what}: cannot run ${command}: ${error.message}`,
          help.next,
        ),
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const lastLines = tail.trim().split('\n').slice(-8).join('\n    ');
      reject(
        new InfraError(
          'python',
          `${help.what} failed (${signal ? `signal ${signal}` : `exit code ${code}`})` +
            (lastLines ? `:\n    ${lastLines}` : ''),
          help.next,
        ),
      );
    });
  });
}

/**
 * An exclusive lock file holding the owner's pid; a lock left by a dead process is taken over.
 * Waits at most 10 minutes (a first pip install on a slow network).
 */
async function lock(): Promise<() => Promise<void>> {
  const deadline = Date.now() + 10 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
    if (owner > 0 && !alive(owner)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InfraError(
        'python',
        `process ${owner} has held ${lockFile} for 10 minutes`,
        `wait for that process to finish, or delete ${lockFile} if it is gone`,
      );
    }
    if (!announced) say('python', `waiting for process ${owner}, which is setting up the venv`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
