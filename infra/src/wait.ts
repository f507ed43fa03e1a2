import { delay } from './process';
import { say } from './report';

/**
 * Polls `healthy` until it answers true, printing progress every few seconds.
 * Returns false at the deadline, or as soon as `stillRunning` says the process died.
 */
export async function waitUntilHealthy(
  server: string,
  healthy: () => Promise<boolean>,
  options: { timeoutMs: number; stillRunning?: () => boolean },
): Promise<boolean> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    if (await healthy()) return true;
    const now = Date.now();
    if (now - started > options.timeoutMs) return false;
    if (options.stillRunning && !options.stillRunning()) return false;
    if (now - lastReport >= 5000) {
      say(server, `waiting until healthy… ${Math.round((now - started) / 1000)} s`);
      lastReport = now;
    }
    await delay(250);
  }
}
