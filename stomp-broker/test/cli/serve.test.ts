// The stomp-broker command: serving, heart-beats, limits and its command line.
import { frame, RawClient } from '../raw-client';
import { runCli, startCli, type CliProcess } from './cli-process';

describe('stomp-broker CLI', () => {
  let cli: CliProcess | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await cli?.stop();
    cli = undefined;
  });
  const connect = async (headers: Record<string, string> = {}) => {
    const client = await RawClient.open(cli!.url);
    clients.push(client);
    const connected = await client.connect(headers);
    return { client, connected };
  };

  it('serves topics and queues on the given port and path, and shuts down on SIGTERM', async () => {
    cli = await startCli(['--path', '/stomp']);
    expect(cli.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/stomp$/);
    const { client: a } = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/cli' }));
    a.send(frame('SEND', { destination: '/queue/cli' }, 'via cli'));
    expect((await a.next()).body.toString()).toBe('via cli');
    cli.child.kill('SIGTERM');
    expect((await a.next()).headers.message).toMatch(/shutting down/);
    expect(await cli.stop()).toBe(0);
  });

  it('says loudly at start-up that anyone may connect when no authentication is set', async () => {
    cli = await startCli([]);
    expect(await cli.waitForStderr(/WARNING/)).toMatch(/no authentication: anyone may connect/);
  });

  it('offers heart-beats in CONNECTED (1000,1000 by default) and sends them at the rate negotiated', async () => {
    cli = await startCli([]);
    const { client, connected } = await connect({ 'heart-beat': '0,1000' });
    expect(connected.headers['heart-beat']).toBe('1000,1000');
    // Spec 1.2 "Heart-beating": the server sends every max(sx, cy) = 1000 ms to a quiet client.
    await client.heartbeatsReach(2, 3500);
  });

  it('offers the heart-beats given with --heartbeat and ends a client that goes silent', async () => {
    cli = await startCli(['--heartbeat', '0,300']);
    const { client, connected } = await connect({ 'heart-beat': '300,0' });
    expect(connected.headers['heart-beat']).toBe('0,300');
    const error = await client.next(3000);
    expect(error.command).toBe('ERROR');
    expect(error.body.toString()).toMatch(/^heartbeat_timeout/);
    expect(await cli.waitForStderr(/ended: heartbeat_timeout/)).toMatch(/session \S+ from/);
  });

  it('refuses frames above --max-frame-size with ERROR frame_too_large', async () => {
    cli = await startCli(['--max-frame-size', '4096']);
    const { client } = await connect();
    client.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/big' }));
    client.send(frame('SEND', { destination: '/topic/big' }, 'x'.repeat(3000)));
    expect((await client.next()).body.length).toBe(3000);
    client.send(frame('SEND', { destination: '/topic/big' }, 'x'.repeat(5000)));
    const error = await client.next();
    expect(error.command).toBe('ERROR');
    expect(error.body.toString()).toMatch(/^frame_too_large/);
    await client.closed;
  });

  it('takes frames above the default 128 KiB once --max-frame-size allows them', async () => {
    cli = await startCli(['--max-frame-size', String(1024 * 1024)]);
    const { client } = await connect();
    const body = 'y'.repeat(1000 * 1024);
    client.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/big' }));
    client.send(frame('SEND', { destination: '/queue/big' }, body));
    expect((await client.next()).body.toString()).toBe(body);
  });

  it.each([
    [['--max-frame-size', 'x'], '--max-frame-size must be a positive integer, got x'],
    [['--max-frame-size', '0'], '--max-frame-size must be a positive integer, got 0'],
    [['--max-body-size', 'x'], '--max-body-size must be a positive integer, got x'],
    [
      ['--max-body-size', '4096', '--max-frame-size', '4096'],
      '--max-frame-size is the former name of --max-body-size: give only one of them',
    ],
    [['--max-headers', '1.5'], '--max-headers must be a positive integer, got 1.5'],
    [['--connect-timeout-ms=-1'], '--connect-timeout-ms must be a positive integer, got -1'],
    [['--heartbeat', '1000'], '--heartbeat must be two non-negative integers of milliseconds'],
    [['--heartbeat-grace', '0.5'], '--heartbeat-grace must be a number of at least 1, got 0.5'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535, got 70000'],
    [['--path', 'ws'], '--path must start with /, got ws'],
    [['--jwks-url', 'ftp://x/keys'], '--jwks-url must be an http(s) URL, got ftp://x/keys'],
    [
      ['--jwks-url', 'http://x/k', '--jwt-algorithms', 'HS256'],
      '--jwt-algorithms takes asymmetric JWS algorithms (RS256, PS256, ES256, EdDSA…), got HS256',
    ],
    [['--issuer', 'https://id'], '--issuer needs --jwks-url'],
    [['--users', '/nonexistent/users.json'], 'cannot read the users file /nonexistent/users.json'],
    [['--verbose'], 'unknown option --verbose (see stomp-broker --help)'],
  ])('exits 2 on %j with a message that says what is wrong', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(`stomp-broker: ${message}`);
  });

  it('lists every option, each limit with its default, in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const option of [
      '--port',
      '--host',
      '--path',
      '--heartbeat',
      '--heartbeat-grace',
      '--users',
      '--jwks-url',
      '--issuer',
      '--audience',
      '--jwt-algorithms',
      '--max-body-size N',
      '--max-frame-size N',
      '--max-headers N',
      '--max-header-length N',
      '--max-subscriptions-per-session N',
      '--max-sessions-per-principal N',
      '--max-transactions-per-session N',
      '--max-frames-per-transaction N',
      '--max-queued-messages N',
      '--max-unacked-per-subscription N',
      '--max-inbound-buffer N',
      '--connect-timeout-ms N',
      '--max-pending-per-address N',
      '--slow-consumer-drop-bytes N',
      '--slow-consumer-close-bytes N',
      '--slow-consumer-max-drops N',
      'passwd',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toMatch(/--max-body-size N\s+default 131072/);
    expect(stdout).toMatch(/--max-frame-size N\s+the former name of --max-body-size/);
  });
});
