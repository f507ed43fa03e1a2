import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ensureDownloads, keycloakHome, versions } from '../downloads';
import { endpoints } from '../endpoints';
import { javaHome } from '../java';
import { dataDir, logFile, pidFile, repoRoot } from '../paths';
import { startDaemon } from '../process';
import { say } from '../report';
import type { InfraServer } from './server';

const { url, realm, adminUser, adminPassword } = endpoints.keycloak;
const port = new URL(url).port;
const realmFile = join(repoRoot, 'keycloak/realm-export.json');

/**
 * Keycloak keeps its state in `<home>/data`; the home is the shared download cache, so its data
 * folder is pointed at ours. When the realm file changes, the dev database is dropped so the next
 * start imports the realm afresh (dev data only: users made by hand are lost too).
 */
function prepareData(): void {
  const data = dataDir('keycloak');
  const link = join(keycloakHome, 'data');
  if (existsSync(link) && !lstatSync(link).isSymbolicLink())
    rmSync(link, { recursive: true, force: true });
  if (!existsSync(link)) symlinkSync(data, link);

  const hash = createHash('sha256').update(readFileSync(realmFile)).digest('hex');
  const stamp = join(data, 'realm.sha256');
  const imported = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  if (imported !== hash) {
    if (existsSync(join(data, 'h2')))
      say('keycloak', 'keycloak/realm-export.json changed: re-importing the realm');
    rmSync(join(data, 'h2'), { recursive: true, force: true });
    mkdirSync(join(data, 'import'), { recursive: true });
    copyFileSync(realmFile, join(data, 'import', 'realm-export.json'));
    writeFileSync(stamp, hash);
  }
}

export const keycloak: InfraServer = {
  name: 'keycloak',
  address: `${url} (realm ${realm}; admin console ${url}/admin, ${adminUser}/${adminPassword})`,
  // A cold start augments Quarkus first (about 30 s here) and then boots (about 30 s).
  startTimeoutMs: 300_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 30_000,

  async healthy() {
    try {
      const res = await fetch(`${url}/realms/${realm}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(2000),
      });
      return res.ok;
    } catch {
      return false;
    }
  },

  async start() {
    ensureDownloads();
    prepareData();
    say(
      'keycloak',
      `starting Keycloak ${versions.keycloak} in dev mode (a cold start takes a minute)`,
    );
    return startDaemon({
      command: join(keycloakHome, 'bin/kc.sh'),
      args: [
        'start-dev',
        '--http-host=127.0.0.1',
        `--http-port=${port}`,
        `--hostname=${url}`,
        '--import-realm',
        // With brute-force detection on, Keycloak refuses a login while another login of the
        // same user is in progress (so parallel guesses cannot outrun the failure count). Test
        // suites log the shared dev users in from parallel workers, so the dev server allows
        // it; production keeps the default (keycloak/README.md).
        '--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true',
      ],
      env: {
        ...process.env,
        JAVA_HOME: javaHome('keycloak'),
        JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx768m',
        KC_BOOTSTRAP_ADMIN_USERNAME: adminUser,
        KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      },
      logPath: logFile('keycloak'),
      pidPath: pidFile('keycloak'),
    });
  },
};
