import fc from 'fast-check';
import { Broker } from '../src';
import { frame, RawClient } from './raw-client';

describe('random bytes from one client', () => {
  let broker: Broker;
  let url: string;

  beforeAll(async () => {
    broker = new Broker({ heartbeat: [0, 0] });
    ({ url } = await broker.listen(0));
  });
  afterAll(() => broker.close());

  it('never crash the broker nor disturb another session', async () => {
    const bystander = await RawClient.connectTo(url);
    bystander.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/calm', receipt: 'r' }));
    await bystander.next();
    const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), 60);
    for (const [i, bytes] of samples.entries()) {
      const noisy = await RawClient.open(url);
      // Half the time after a valid CONNECT, so the garbage reaches the connected-state parser.
      if (i % 2) {
        noisy.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h' }));
        await noisy.next();
      }
      noisy.send(Buffer.from(bytes));
      noisy.send(frame('SEND', { destination: '/topic/calm' }, `after-noise-${i}`));
      noisy.close();
      broker.publish('/topic/calm', `tick-${i}`);
      let got;
      do got = (await bystander.next()).body.toString();
      while (got.startsWith('after-noise'));
      expect(got).toBe(`tick-${i}`);
    }
    expect(bystander.isOpen).toBe(true);
    bystander.close();
  });
});
