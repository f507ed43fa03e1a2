#!/usr/bin/env node
// stomp-broker [options] | stomp-broker passwd …: the broker as a program of its own.
// Options, users file, JWTs and the passwd command live in cli/; `stomp-broker --help` lists them.
import { parseServeOptions, usage, UsageError } from './cli/options';
import { passwd } from './cli/passwd';
import { serve } from './cli/serve';

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'passwd') {
    process.stdout.write(await passwd(argv.slice(1)));
    return;
  }
  const options = parseServeOptions(argv[0] === 'serve' ? argv.slice(1) : argv);
  if (options === 'help') {
    process.stdout.write(usage());
    return;
  }
  let broker;
  try {
    ({ broker } = await serve(options, { out, err }));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    err(
      `stomp-broker: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  const shutdown = () => {
    out('stomp-broker shutting down');
    void broker.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    err(`stomp-broker: ${error.message}`);
    process.exit(2);
  }
  err(`stomp-broker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
