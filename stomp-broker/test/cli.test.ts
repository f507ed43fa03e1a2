import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { frame, RawClient } from './raw-client';

describe('stomp-broker CLI', () => {
  it('serves topics and queues on the given port and path, and shuts down on SIGTERM', async () => {
    const tsx = join(__dirname, '../../node_modules/.bin/tsx');
    const child = spawn(
      tsx,
      [join(__dirname, '../src/cli.ts'), '--port', '0', '--path', '/stomp'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /listening on (ws:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/stomp$/);
      const a = await RawClient.connectTo(url);
      a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/cli' }));
      a.send(frame('SEND', { destination: '/queue/cli' }, 'via cli'));
      expect((await a.next()).body.toString()).toBe('via cli');
      child.kill('SIGTERM');
      expect((await a.next()).headers.message).toMatch(/shutting down/);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
