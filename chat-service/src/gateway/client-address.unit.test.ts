import type { IncomingMessage } from 'node:http';
import { clientAddressOf } from './client-address';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('takes the browser behind a trusted loopback proxy from X-Forwarded-For', () => {
    const of = clientAddressOf(['loopback'])!;
    expect(of(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(of(request('::1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('stops at the first untrusted hop, so a client cannot forge its address', () => {
    const of = clientAddressOf(['loopback'])!;
    // the peer itself is not a trusted proxy: whatever it claims is ignored
    expect(of(request('203.0.113.9', '10.9.9.9'))).toBe('203.0.113.9');
    // a forged first entry behind the real proxy is not believed past the untrusted hop
    expect(of(request('127.0.0.1', '10.9.9.9, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('trusts nobody when the list is empty: the socket peer counts', () => {
    expect(clientAddressOf([])).toBeUndefined();
  });
});
