import 'reflect-metadata';
import { createLogger } from '@echopulse/service-kit';
import { readConfig } from './config';
import { startChatService } from './service';

/**
 * Starts chat-service; SIGTERM/SIGINT stop it gracefully (readiness 503, STOMP sessions told
 * and closed, HTTP drained, consumers and pools closed).
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('chat-service', config.LOG_LEVEL);
  const service = await startChatService(config, logger);
  logger.info(
    {
      port: service.port,
      ws: `${config.PUBLIC_URL.replace(/^http/, 'ws')}/ws`,
      docs: `${config.PUBLIC_URL}/docs`,
    },
    'chat-service listening',
  );
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      service.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
