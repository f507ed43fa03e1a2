import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../logging';

/**
 * kafkajs log entries into the service's pino logger (kafkajs' INFO is chatty: debug here).
 * `ignore` drops messages that are expected by design and would only be noise.
 */
export function kafkaLogCreator(logger: Logger, ignore: readonly string[] = []): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (ignore.some((prefix) => message.startsWith(prefix))) return;
      if (level === logLevel.ERROR) child.error(extra, message);
      else if (level === logLevel.WARN) child.warn(extra, message);
      else if (level === logLevel.INFO) child.debug(extra, message);
      else child.trace(extra, message);
    };
}
