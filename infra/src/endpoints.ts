/**
 * Where each server of the local infrastructure listens: loopback only, fixed ports.
 * These are development credentials; the services refuse them in production (see service-kit).
 */
export const endpoints = {
  postgres: {
    host: '127.0.0.1',
    port: 5432,
    user: 'echopulse',
    password: 'echopulse',
    url: (database: string) => `postgres://echopulse:echopulse@127.0.0.1:5432/${database}`,
  },
  redis: { host: '127.0.0.1', port: 6379, url: 'redis://127.0.0.1:6379' },
  kafka: { brokers: ['127.0.0.1:9092'], controllerPort: 9093 },
  keycloak: {
    url: 'http://127.0.0.1:8180',
    realm: 'echopulse',
    issuer: 'http://127.0.0.1:8180/realms/echopulse',
    adminUser: 'admin',
    adminPassword: 'echopulse',
  },
} as const;

/** One database per service, and one more per service for the tests so they never touch dev data. */
export const databases = [
  'echopulse_server',
  'echopulse_chat',
  'echopulse_server_test',
  'echopulse_chat_test',
  'echopulse_infra_test',
] as const;
