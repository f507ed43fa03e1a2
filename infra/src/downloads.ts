import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './paths';
import { InfraError, say } from './report';

const pom = join(repoRoot, 'infra/pom.xml');

function pomProperty(name: string): string {
  const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(readFileSync(pom, 'utf8'));
  if (!match?.[1]) throw new Error(`infra/pom.xml has no <${name}>`);
  return match[1];
}

/** The versions live in infra/pom.xml, which also downloads them. */
export const versions = {
  kafka: pomProperty('kafka.version'),
  keycloak: pomProperty('keycloak.version'),
};

export const kafkaLibs = join(cacheDir, `kafka-${versions.kafka}`, 'libs');
export const keycloakHome = join(cacheDir, `keycloak-${versions.keycloak}`);

let downloaded = false;

/**
 * Brings Kafka's jars and Keycloak's distribution from Maven Central into the cache, once.
 * Maven prints its own progress; the first run moves about 240 MB.
 */
export function ensureDownloads(): void {
  if (downloaded) return;
  const kafkaJar = join(kafkaLibs, `kafka_2.13-${versions.kafka}.jar`);
  const kcScript = join(keycloakHome, 'bin/kc.sh');
  if (existsSync(kafkaJar) && existsSync(kcScript)) {
    downloaded = true;
    return;
  }
  // An interrupted unpack leaves its marker behind; drop the markers so Maven unpacks again.
  rmSync(join(cacheDir, '.markers'), { recursive: true, force: true });
  say(
    'download',
    `Kafka ${versions.kafka} jars and Keycloak ${versions.keycloak} (~240 MB) from Maven Central into ${cacheDir}`,
  );
  const batch = process.stdout.isTTY ? [] : ['-B']; // a terminal gets Maven's live progress
  const result = spawnSync(
    'mvn',
    ['-f', pom, ...batch, `-Dcache.dir=${cacheDir}`, 'process-resources'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0 || !existsSync(kafkaJar) || !existsSync(kcScript)) {
    throw new InfraError(
      'download',
      result.status === 0
        ? `mvn finished but ${existsSync(kafkaJar) ? kcScript : kafkaJar} is missing`
        : `mvn could not fetch the servers (exit ${result.status}${result.error ? `: ${result.error.message}` : ''})`,
      'check that `mvn -v` works and Maven Central is reachable, then run npm run infra:up again',
    );
  }
  downloaded = true;
  say('download', 'done');
}
