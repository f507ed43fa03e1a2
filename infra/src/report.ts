/** What infra tells the person running it: one line per step, prefixed with the server's name. */
export function say(server: string, message: string): void {
  process.stdout.write(`[infra] ${server.padEnd(8)} ${message}\n`);
}

/**
 * A failure that says which server, why, where its log is and what to do next.
 * `npm run infra:up` prints these as they are, without a stack trace.
 */
export class InfraError extends Error {
  constructor(
    readonly server: string,
    readonly why: string,
    readonly next: string,
    readonly log?: string,
  ) {
    super(`${server}: ${why}` + (log ? `\n  log: ${log}` : '') + `\n  what to do: ${next}`);
    this.name = 'InfraError';
  }
}
