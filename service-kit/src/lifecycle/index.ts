import type { Server } from 'node:http';
import type { Logger } from '../logging';

// How both services start listening and stop, written once: their main.ts (and chat-service's
// composition root) call these.

/** Listens on `port` and `host`; resolves once the server accepts, rejects if it cannot bind. */
export function listen(
  app: { listen(port: number, host: string, callback: () => void): Server },
  port: number,
  host: string,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Drains an HTTP server: it stops accepting, idle keep-alive connections close at once, requests
 * in flight may finish within `graceMs`, then whatever is still open is closed.
 */
export async function closeHttpServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(grace);
}

/**
 * Stops the service gracefully on the first SIGTERM or SIGINT (a second one while stopping is
 * ignored): logs the signal, runs `stop`, exits 0, or logs the failure and exits 1.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/** Runs a service's start-up; a failure to start is printed and the process exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
