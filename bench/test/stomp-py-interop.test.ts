import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonVenv } from '@echopulse/infra';
import { repoRoot, startTarget, type Target } from '../src/targets';

/** What bench/interop/stomp_py_interop.py prints as its last line. */
interface Observed {
  [key: string]: unknown;
}

function runPython(
  python: string,
  url: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(repoRoot, 'bench/interop/stomp_py_interop.py'), url], {
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

// An independent client from another ecosystem (Python's stomp.py, over WebSocket) against the
// broker's CLI as a separate process: what a third-party client sees, frame by frame.
describe('stomp.py over WebSocket against the broker CLI', () => {
  let broker: Target;
  let observed: Observed;
  let stderr: string;

  beforeAll(async () => {
    const python = await ensurePythonVenv(); // the first run creates .infra/venv and installs stomp.py
    broker = await startTarget('stomp-broker');
    const result = await runPython(python, broker.url);
    stderr = result.err;
    if (result.code !== 0)
      throw new Error(`the Python script failed (${result.code}):\n${result.err}`);
    observed = JSON.parse(result.out.trim().split('\n').pop()!) as Observed;
  }, 240_000);
  afterAll(() => broker?.stop());

  it('ran without a Python exception', () => {
    expect(stderr).not.toMatch(/Traceback/);
  });

  it('connects with STOMP 1.2 and subscribes with receipts', () => {
    expect(observed).toMatchObject({ connected: true, version: '1.2', subscribe_receipts: true });
  });

  it('delivers a UTF-8 text body with its headers and answers the SEND receipt', () => {
    expect(observed.send_receipt).toBe(true);
    expect(observed.text).toEqual({
      body: 'héllo from stomp.py ✓',
      destination: '/topic/interop.py',
      content_type: 'text/plain;charset=utf-8',
      x_origin: 'python',
      has_message_id: true,
    });
  });

  it('delivers a binary body holding NUL bytes intact, framed by content-length', () => {
    const sent = [0, 1, 2, 255, 254, 0, ...Buffer.from(' binary '), 0];
    expect(observed.binary).toEqual({
      sent_length: sent.length,
      received: sent,
      content_length: String(sent.length),
      equal: true,
      receipt: true,
    });
  });

  it('redelivers a NACKed queue message, acks client-individually, and redelivers nothing acked', () => {
    expect(observed.queue).toEqual({
      first: 'job-1',
      second: 'job-2',
      first_redelivered_header: null,
      ack_receipt: true,
      nack_receipt: true,
      redelivery: 'job-1',
      redelivered_header: 'true',
      new_ack_id: true,
      redelivery_ack_receipt: true,
      after_acks: 'job-3',
    });
  });

  it('holds transactional SENDs until COMMIT, in order, and drops them on ABORT', () => {
    expect(observed.transaction).toEqual({
      before_commit: 'marker-before-commit',
      commit_receipt: true,
      after_commit: ['tx-1', 'tx-2'],
      abort_receipt: true,
      after_abort: 'marker-after-abort',
    });
  });

  it('stops a subscription on UNSUBSCRIBE', () => {
    expect(observed.unsubscribe_receipt).toBe(true);
    expect(observed.after_unsubscribe).toEqual({ t: 'only-t', t2: [] });
  });

  it('answers DISCONNECT with its receipt and closes', () => {
    expect(observed).toMatchObject({ disconnect_receipt: true, disconnected: true });
  });

  it('answers a malformed frame with ERROR (message header) and closes the socket', () => {
    expect(observed.bad_frame).toMatchObject({
      error: true,
      message: expect.stringMatching(/NOT-A-COMMAND|command/i),
      socket_closed: true,
    });
    expect((observed.bad_frame as { closed_within_s: number }).closed_within_s).toBeLessThan(5);
  });
});
