import { Broker, memoryPair } from '@echopulse/stomp-broker';
import type { Principal } from '@echopulse/service-kit';
import { PRINCIPAL } from './authenticate';
import { SessionExpiry } from './session-expiry';

// The sweep against a real in-memory broker session, with the clock moved by hand.
const texts = (client: ReturnType<typeof memoryPair>['client']) =>
  client.received.map((m) => m.data.toString());
async function waitFor(client: ReturnType<typeof memoryPair>['client'], start: string) {
  for (let i = 0; i < 200 && !texts(client).some((f) => f.startsWith(start)); i++)
    await new Promise((r) => setTimeout(r, 5));
}

describe('SessionExpiry', () => {
  it('warns once before expiry, accepts a renewal, and ends the session at expiry', async () => {
    let now = 1_000_000;
    const expiresAt = new Date(now + 90_000);
    const principal: Principal = {
      id: 'u1',
      username: 'alice',
      displayName: 'alice',
      roles: ['user'],
      expiresAt,
    };
    const broker = new Broker({
      authenticate: ({ session }) => {
        session.attributes.set(PRINCIPAL, principal);
        return { name: 'u1' };
      },
    });
    const { client, transport } = memoryPair();
    const session = broker.accept(transport);
    client.send('CONNECT\naccept-version:1.2\nhost:x\n\n\0');
    await waitFor(client, 'CONNECTED');
    client.send('SUBSCRIBE\nid:n\ndestination:/user/queue/notices\nreceipt:r\n\n\0');
    await waitFor(client, 'RECEIPT');
    const expiry = new SessionExpiry(broker, 60_000, () => now);

    expiry.sweep();
    await new Promise((r) => setTimeout(r, 50));
    expect(texts(client).filter((f) => f.includes('token-expiring'))).toHaveLength(0);
    now += 31_000; // 59 s left
    expiry.sweep();
    expiry.sweep();
    await new Promise((r) => setTimeout(r, 50));
    expect(texts(client).filter((f) => f.includes('token-expiring'))).toHaveLength(1);

    // a fresh token moves the end and re-arms the warning
    expiry.renewed({ ...principal, expiresAt: new Date(now + 300_000) }, session.attributes);
    now += 60_000;
    expiry.sweep();
    expect(session.open).toBe(true);

    now += 300_000;
    expiry.sweep();
    await waitFor(client, 'ERROR');
    expect(texts(client).find((f) => f.startsWith('ERROR'))).toContain('token_expired');
  });
});
