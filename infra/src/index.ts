export { up, down, status, servers, allServers } from './infra';
export type { UpResult, ServerStatus } from './infra';
export type { ServerName, InfraServer } from './servers/server';
export { endpoints, databases } from './endpoints';
export { versions } from './downloads';
export { InfraError } from './report';
export { ensurePythonVenv } from './python-venv';
