#!/usr/bin/env node
// `npm run infra:up|infra:down|infra:status`.
import { allServers, down, status, up } from './infra';
import type { ServerName } from './servers/server';
import { InfraError } from './report';

function parseNames(args: string[]): ServerName[] {
  if (!args.length) return allServers;
  const unknown = args.filter((a) => !(allServers as string[]).includes(a));
  if (unknown.length) {
    throw new InfraError(
      'infra',
      `unknown server(s): ${unknown.join(', ')}`,
      `name some of: ${allServers.join(', ')}`,
    );
  }
  return args as ServerName[];
}

async function main(): Promise<void> {
  const [command = 'status', ...rest] = process.argv.slice(2);
  const started = Date.now();
  switch (command) {
    case 'up': {
      const result = await up(parseNames(rest));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `[infra] all healthy in ${seconds} s (started: ${result.started.join(', ') || 'none'})`,
      );
      break;
    }
    case 'down':
      await down(parseNames(rest));
      break;
    case 'status': {
      const rows = await status(parseNames(rest));
      for (const r of rows) {
        const state = r.healthy ? 'healthy' : r.pid ? 'starting or unhealthy' : 'stopped';
        console.log(
          `${r.name.padEnd(9)} ${state.padEnd(22)} ${r.pid ? `pid ${r.pid}`.padEnd(11) : ''.padEnd(11)} ${r.address}\n${''.padEnd(9)} log: ${r.log}`,
        );
      }
      break;
    }
    default:
      throw new InfraError('infra', `unknown command "${command}"`, 'use one of: up, down, status');
  }
}

main().catch((error: unknown) => {
  if (error instanceof InfraError) {
    process.stderr.write(`\n[infra] FAILED ${error.message}\n`);
  } else {
    process.stderr.write(
      `\n[infra] FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
