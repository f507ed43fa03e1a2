import { devDefaults, readConfig } from './config';

// Issue #10 item 8: the service listens on loopback unless told otherwise (a container sets
// HOST=0.0.0.0), as every other server of the system does; production takes no dev secret.
describe('chat-service configuration', () => {
  it('listens on 127.0.0.1:8082 by default, on another interface only when HOST says so', () => {
    expect(readConfig({})).toMatchObject({ HOST: '127.0.0.1', PORT: 8082 });
    expect(readConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('refuses in production to start on the development database password', () => {
    const production = { ...devDefaults, NODE_ENV: 'production' };
    expect(() => readConfig(production)).toThrow(
      /DATABASE_PASSWORD is the development default; production needs a real secret/,
    );
    expect(readConfig({ ...production, DATABASE_PASSWORD: 'a real one' }).mode).toBe('production');
  });
});
