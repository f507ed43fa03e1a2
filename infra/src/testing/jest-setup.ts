import { up } from '../infra';
import type { ServerName } from '../servers/server';

/** Servers started by this jest run's global setups; jestTeardown stops exactly these. */
const key = '__echopulseInfraStarted';
type Registry = { [key]?: Set<ServerName> };

/**
 * A jest globalSetup that brings up the named servers through the same code as `npm run infra:up`,
 * reusing any that already run. Use as `export default jestSetupFor(['redis'])`.
 */
export function jestSetupFor(names: ServerName[]): () => Promise<void> {
  return async () => {
    const { started } = await up(names);
    const registry = globalThis as Registry;
    registry[key] ??= new Set();
    for (const name of started) registry[key].add(name);
  };
}

/** Names the servers this run started, for jestTeardown. */
export function startedByThisRun(): ServerName[] {
  return [...((globalThis as Registry)[key] ?? [])];
}
