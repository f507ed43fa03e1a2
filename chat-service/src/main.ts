import 'reflect-metadata';
import { createLogger, runMain, stopOnSignals } from '@echopulse/service-kit';
import { readConfig } from './config';
import { startChatService } from './composition-root';

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
  stopOnSignals(logger, () => service.stop());
}

runMain(main);
