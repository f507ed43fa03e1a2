import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configKeys as chatKeys } from '@echopulse/chat-service/testing';
import { configKeys as serverKeys } from '@echopulse/server-service/testing';

// compose.yaml sets the services' environment by hand: every variable must be one the service
// reads (a misspelt one is silently ignored and the default used — found: OIDC_* instead of
// KEYCLOAK_*), and the containers' Keycloak settings must point where containers can reach.

const compose = parse(readFileSync(join(__dirname, '../../compose.yaml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, { environment?: Record<string, unknown> }> };

describe('compose.yaml environment of the services', () => {
  it.each([
    ['server-service', serverKeys],
    ['chat-service', chatKeys],
  ])('%s sets only variables it reads, with Keycloak reachable from a container', (name, keys) => {
    const env = compose.services[name]?.environment ?? {};
    const known = new Set([...keys, 'NODE_ENV']);
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    const keycloak = (compose.services.keycloak as unknown as { command: string[] }).command;
    expect(keycloak).toContain('--hostname=http://127.0.0.1:8180');
    expect(env).toMatchObject({
      KEYCLOAK_ISSUER: 'http://127.0.0.1:8180/realms/echopulse', // web-vue's authority too
      KEYCLOAK_JWKS_URI: expect.stringMatching(/^http:\/\/keycloak:8180\//),
      DATABASE_HOST: 'postgres',
    });
  });
});
