import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from './report';

const candidates = [
  process.env.JAVA_HOME,
  '/usr/lib/jvm/java-17-openjdk-amd64',
  '/usr/lib/jvm/java-21-openjdk-amd64',
  '/usr/lib/jvm/temurin-25-jdk-amd64',
];

/** A Java 17+ home for Kafka and Keycloak (both run on 17; Debian's openjdk-17 is the default). */
export function javaHome(server: string): string {
  for (const home of candidates) {
    if (home && existsSync(join(home, 'bin/java'))) return home;
  }
  throw new InfraError(
    server,
    'no Java 17+ runtime found',
    'apt-get install openjdk-17-jre-headless, or set JAVA_HOME',
  );
}
