import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonVenv } from '@echopulse/infra';
import { Broker } from '../src';

describe('interop with stomp.py over WebSocket', () => {
  let broker: Broker;
  let port: number;
  let python: string;

  beforeAll(async () => {
    python = ensurePythonVenv();
    broker = new Broker({ heartbeat: [1000, 1000], authenticate: () => ({ name: 'python' }) });
    port = Number(new URL((await broker.listen(0)).url).port);
  }, 180_000); // the first run creates the venv and installs stomp.py
  afterAll(() => broker.close());

  it('connects, subscribes, sends text and binary, acks, nacks, transacts, disconnects, and sees ERROR close the socket', async () => {
    const script = join(__dirname, 'interop/stomppy_client.py');
    // Async spawn: the broker runs in this process and must keep serving while Python talks to it.
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(python, [script, String(port)]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(out.stderr.split('\n').filter((l) => /Traceback|Error/.test(l))).toEqual([]);
    expect(out.code).toBe(0);
    const results = JSON.parse(out.stdout.trim().split('\n').pop()!);
    expect(results).toEqual({
      connected: true,
      topic_text: 'héllo from python',
      topic_header: 'py',
      receipt_send: true,
      topic_binary: [0, 1, 255, 0, ...Buffer.from('binary')],
      queue: ['job', null, 'job', 'true'],
      acked: true,
      held_until_commit: true,
      after_commit: 'in a transaction',
      disconnect_receipt: true,
      error_message: expect.stringMatching(/Destinations start with/),
      closed_after_error: true,
    });
  });
});
