import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { infraHome, repoRoot } from './paths';
import { InfraError, say } from './report';

const requirements = join(repoRoot, 'infra/python-requirements.txt');

/**
 * A Python virtual environment under .infra/venv with infra/python-requirements.txt installed
 * (again whenever that file changes). Returns the venv's python.
 */
export function ensurePythonVenv(): string {
  const venv = join(infraHome, 'venv');
  const python = join(venv, 'bin/python');
  const stamp = join(venv, '.requirements.sha256');
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash)
    return python;

  const run = (command: string, args: string[], what: string) => {
    say('python', what);
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      throw new InfraError(
        'python',
        `${what} failed (exit ${result.status}${result.error ? `: ${result.error.message}` : ''})`,
        `check that python3 (with venv) works and PyPI is reachable; delete ${venv} to start afresh`,
      );
    }
  };
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv], `creating ${venv}`);
  run(
    python,
    ['-m', 'pip', 'install', '-q', '-r', requirements],
    'installing infra/python-requirements.txt',
  );
  writeFileSync(stamp, hash);
  return python;
}
