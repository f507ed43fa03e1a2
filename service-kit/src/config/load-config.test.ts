import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';

const shape = {
  PORT: z.coerce.number().int().min(1).max(65535),
  DATABASE_PASSWORD: z.string().min(1),
};
const options = {
  devDefaults: { PORT: '8081', DATABASE_PASSWORD: 'echopulse' },
  secrets: ['DATABASE_PASSWORD' as const],
};

describe('loadConfig', () => {
  it('fills dev defaults outside production and freezes the result', () => {
    const config = loadConfig(shape, { ...options, env: {} });
    expect(config).toEqual({ PORT: 8081, DATABASE_PASSWORD: 'echopulse', mode: 'development' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets the environment win over dev defaults', () => {
    expect(loadConfig(shape, { ...options, env: { PORT: '9000' } }).PORT).toBe(9000);
  });

  it('gives production no dev defaults', () => {
    expect(() => loadConfig(shape, { ...options, env: { NODE_ENV: 'production' } })).toThrow(
      /PORT is required[\s\S]*DATABASE_PASSWORD is required/,
    );
  });

  it('refuses a dev secret in production', () => {
    const env = { NODE_ENV: 'production', PORT: '8081', DATABASE_PASSWORD: 'echopulse' };
    expect(() => loadConfig(shape, { ...options, env })).toThrow(ConfigError);
    expect(() => loadConfig(shape, { ...options, env })).toThrow(
      /DATABASE_PASSWORD is the development default/,
    );
    expect(
      loadConfig(shape, { ...options, env: { ...env, DATABASE_PASSWORD: 's3cret!' } }).mode,
    ).toBe('production');
  });

  it('names each invalid variable', () => {
    expect(() => loadConfig(shape, { ...options, env: { PORT: '70000' } })).toThrow(/PORT: /);
  });
});
