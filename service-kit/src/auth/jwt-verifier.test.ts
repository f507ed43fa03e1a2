import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { AppError, toProblem } from '../errors';
import { createLogger } from '../logging';
import { createJwtVerifier } from './jwt-verifier';

/** A port nothing listens on: one the system gave out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Well-formed, so that verification gets as far as fetching the keys. */
const token = [
  b64({ alg: 'RS256', typ: 'JWT', kid: 'some-key' }),
  b64({ sub: 'u', iat: 1, exp: 4102444800 }),
  'c2lnbmF0dXJl',
].join('.');

class Lines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(chunk.toString());
    done();
  }
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('JwtVerifier when the identity provider cannot be reached', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  it.each([
    ['its discovery document', () => ({ issuer: `http://127.0.0.1:${port}/realms/x` })],
    [
      'its key set',
      () => ({
        issuer: 'http://keycloak.invalid/realms/x',
        jwksUri: `http://127.0.0.1:${port}/realms/x/protocol/openid-connect/certs`,
      }),
    ],
  ])(
    'answers 503 auth_unavailable without the cause when %s cannot be fetched, and logs the cause',
    async (_what, where) => {
      const log = new Lines();
      const verifier = createJwtVerifier({
        ...where(),
        audience: 'server-service',
        logger: createLogger('verifier-test', 'info', log),
      });
      const error = await refusal(verifier.verify(token));
      expect(error).toMatchObject({ status: 503, code: 'auth_unavailable' });
      const body = JSON.stringify(toProblem(error, '/api/x'));
      expect(JSON.parse(body)).toEqual({
        type: 'https://echopulse.dev/problems/auth_unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The identity provider cannot be reached; try again shortly.',
        code: 'auth_unavailable',
        instance: '/api/x',
      });
      expect(body).not.toMatch(/ECONNREFUSED|fetch failed|127\.0\.0\.1|cause|stack/i);
      // the cause is in the service's own log
      expect(log.text.join('')).toMatch(/ECONNREFUSED/);
    },
  );
});
