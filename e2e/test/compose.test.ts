import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readConfig as readChatConfig } from '@echopulse/chat-service/testing';
import { readConfig as readServerConfig } from '@echopulse/server-service/testing';

const repoRoot = join(__dirname, '../..');

/** The secrets compose.yaml takes from the environment (.env.example lists them). */
const secrets = {
  ECHOPULSE_DATABASE_PASSWORD: 'compose-test-database-secret',
  ECHOPULSE_KEYCLOAK_ADMIN_PASSWORD: 'compose-test-admin-secret',
};

const noEnvFile = join(mkdtempSync(join(tmpdir(), 'compose-env-')), 'empty.env');
writeFileSync(noEnvFile, '');

/**
 * Debian's docker-compose validates a file offline; no container engine is needed. It reads an
 * empty env file (not a developer's .env) with the secrets given, unless told not.
 */
function composeConfig(file: string, args: string[], env: Record<string, string> = secrets) {
  const {
    ECHOPULSE_DATABASE_PASSWORD: _d,
    ECHOPULSE_KEYCLOAK_ADMIN_PASSWORD: _k,
    ...rest
  } = process.env;
  return spawnSync('docker-compose', ['-f', file, '--env-file', noEnvFile, 'config', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...rest, ...env },
  });
}

describe('compose.yaml', () => {
  const file = join(repoRoot, 'compose.yaml');

  it('validates', () => {
    const result = composeConfig(file, ['-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has the whole topology on the same ports as infra/', () => {
    const services = composeConfig(file, ['--services']).stdout.trim().split('\n').sort();
    expect(services).toEqual([
      'chat-service',
      'kafka',
      'keycloak',
      'postgres',
      'redis',
      'server-service',
      'web',
    ]);
    const resolved = composeConfig(file, []).stdout;
    for (const port of [5432, 6379, 9092, 8180, 8081, 8082, 8080]) {
      expect(resolved).toMatch(new RegExp(`published: ["']?${port}|${port}:`));
    }
  });

  it('builds each service from a Dockerfile that exists', () => {
    const resolved = composeConfig(file, []).stdout;
    const dockerfiles = [...resolved.matchAll(/dockerfile: (\S+)/g)].map((m) => m[1]!);
    expect(dockerfiles.sort()).toEqual([
      'chat-service/Dockerfile',
      'server-service/Dockerfile',
      'web-vue/Dockerfile',
    ]);
    for (const dockerfile of dockerfiles) expect(existsSync(join(repoRoot, dockerfile))).toBe(true);
  });

  it('refuses to start without its secrets, saying which to set', () => {
    const result = composeConfig(file, ['-q'], {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/set ECHOPULSE_DATABASE_PASSWORD \(see \.env\.example\)/);
    // one given, the other still missing
    const half = composeConfig(file, ['-q'], {
      ECHOPULSE_DATABASE_PASSWORD: secrets.ECHOPULSE_DATABASE_PASSWORD,
    });
    expect(half.status).not.toBe(0);
    expect(half.stderr).toMatch(/set ECHOPULSE_KEYCLOAK_ADMIN_PASSWORD/);
    expect(existsSync(join(repoRoot, '.env.example'))).toBe(true);
  });

  // Issue #10 item 8: the containers used to run as development and accept the dev secrets
  it('runs both services as production, listening on 0.0.0.0, with settings production accepts', () => {
    const resolved = parse(composeConfig(file, []).stdout) as {
      services: Record<string, { environment: Record<string, string> }>;
    };
    const { services } = resolved;
    expect(services.postgres!.environment.POSTGRES_PASSWORD).toBe(
      secrets.ECHOPULSE_DATABASE_PASSWORD,
    );
    expect(services.keycloak!.environment.KC_BOOTSTRAP_ADMIN_PASSWORD).toBe(
      secrets.ECHOPULSE_KEYCLOAK_ADMIN_PASSWORD,
    );
    for (const [name, read] of [
      ['server-service', readServerConfig],
      ['chat-service', readChatConfig],
    ] as const) {
      const env = services[name]!.environment;
      expect([name, env.NODE_ENV, env.HOST]).toEqual([name, 'production', '0.0.0.0']);
      // production has no defaults: compose must give every setting, and no dev secret
      const config = read(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])));
      expect(config).toMatchObject({
        mode: 'production',
        HOST: '0.0.0.0',
        DATABASE_PASSWORD: secrets.ECHOPULSE_DATABASE_PASSWORD,
      });
    }
    // and the dev password is refused there, as production start-up refuses it
    const withDevSecret = composeConfig(file, [], {
      ...secrets,
      ECHOPULSE_DATABASE_PASSWORD: 'echopulse',
    });
    const devEnv = (parse(withDevSecret.stdout) as typeof resolved).services['server-service']!
      .environment;
    expect(() => readServerConfig(devEnv)).toThrow(/DATABASE_PASSWORD is the development default/);
  });

  it('is refused when it is broken (the check can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'compose.yaml');
    writeFileSync(broken, 'services:\n  web:\n    image: nginx\n    ports: 8080\n');
    expect(composeConfig(broken, ['-q']).status).not.toBe(0);
  });
});
