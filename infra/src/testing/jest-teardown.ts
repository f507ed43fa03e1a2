import { down } from '../infra';
import { startedByThisRun } from './jest-setup';

/**
 * A jest globalTeardown that stops only what this run's setups started; servers a developer had
 * running are left as they were. Set ECHOPULSE_KEEP_INFRA=1 to keep everything up for the next run.
 */
export default async function jestTeardown(): Promise<void> {
  const started = startedByThisRun();
  if (!started.length || process.env.ECHOPULSE_KEEP_INFRA === '1') return;
  await down(started);
}
