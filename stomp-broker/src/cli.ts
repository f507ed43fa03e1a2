#!/usr/bin/env node
// stomp-broker --port N [--host H] [--path P]: an unauthenticated broker with topics and queues.
import { parseArgs } from 'node:util';
import { Broker } from './broker';

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '61614' },
      host: { type: 'string', default: '127.0.0.1' },
      path: { type: 'string', default: '/ws' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: stomp-broker --port N [--host H] [--path P]\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`stomp-broker: --port must be 0–65535, got ${values.port}\n`);
    process.exit(2);
  }
  const broker = new Broker({
    path: values.path!,
    onError: (error) =>
      process.stderr.write(
        `stomp-broker: ${error instanceof Error ? error.stack : String(error)}\n`,
      ),
  });
  broker.listen(port, values.host).then(
    ({ url }) => process.stdout.write(`stomp-broker listening on ${url}\n`),
    (error: Error) => {
      process.stderr.write(
        `stomp-broker: cannot listen on ${values.host}:${port}: ${error.message}\n`,
      );
      process.exit(1);
    },
  );
  const shutdown = () => {
    process.stdout.write('stomp-broker shutting down\n');
    broker.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main();
