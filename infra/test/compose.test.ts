import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/paths';

/** Debian's docker-compose validates a file offline; no container engine is needed. */
function composeConfig(file: string, ...args: string[]) {
  return spawnSync('docker-compose', ['-f', file, 'config', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

describe('compose.yaml', () => {
  const file = join(repoRoot, 'compose.yaml');

  it('validates', () => {
    const result = composeConfig(file, '-q');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has the whole topology on the same ports as infra/', () => {
    const services = composeConfig(file, '--services').stdout.trim().split('\n').sort();
    expect(services).toEqual([
      'chat-service',
      'kafka',
      'keycloak',
      'postgres',
      'redis',
      'server-service',
      'web',
    ]);
    const resolved = composeConfig(file).stdout;
    for (const port of [5432, 6379, 9092, 8180, 8081, 8082, 8080]) {
      expect(resolved).toMatch(new RegExp(`published: ["']?${port}|${port}:`));
    }
  });

  it('builds each service from a Dockerfile that exists', () => {
    const resolved = composeConfig(file).stdout;
    const dockerfiles = [...resolved.matchAll(/dockerfile: (\S+)/g)].map((m) => m[1]!);
    expect(dockerfiles.sort()).toEqual([
      'chat-service/Dockerfile',
      'server-service/Dockerfile',
      'web-vue/Dockerfile',
    ]);
    for (const dockerfile of dockerfiles) expect(existsSync(join(repoRoot, dockerfile))).toBe(true);
  });

  it('is refused when it is broken (the check can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'compose.yaml');
    writeFileSync(broken, 'services:\n  web:\n    image: nginx\n    ports: 8080\n');
    expect(composeConfig(broken, '-q').status).not.toBe(0);
  });
});
