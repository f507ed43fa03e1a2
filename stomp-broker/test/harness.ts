import { Broker, type BrokerOptions } from '../src';
import { RawClient } from './raw-client';

/**
 * One broker per test over a real WebSocket on 127.0.0.1 (ephemeral port), closed with every
 * client after each test.
 */
export function useBroker() {
  const state: { broker: Broker; url: string } = { broker: undefined!, url: '' };
  const clients: RawClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await state.broker?.close();
  });

  return {
    get broker() {
      return state.broker;
    },
    get url() {
      return state.url;
    },
    /** Starts the broker (heart-beats off unless asked for). */
    async start(options: BrokerOptions = {}): Promise<Broker> {
      state.broker = new Broker({ heartbeat: [0, 0], ...options });
      state.url = (await state.broker.listen(0)).url;
      return state.broker;
    },
    /** Opens a WebSocket without CONNECT. */
    async open(protocols?: string[]): Promise<RawClient> {
      const c = await RawClient.open(state.url, protocols);
      clients.push(c);
      return c;
    },
    /** Opens and CONNECTs (1.2). */
    async connect(headers: Record<string, string> = {}): Promise<RawClient> {
      const c = await RawClient.open(state.url);
      clients.push(c);
      await c.connect(headers);
      return c;
    },
  };
}

/** A login-based principal, for tests. */
export const loginAuth: BrokerOptions['authenticate'] = ({ frame }) => {
  const login = frame.headers.find(([n]) => n === 'login')?.[1];
  return login === undefined ? undefined : { name: login };
};
