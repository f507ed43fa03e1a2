import type { Logger } from '@echopulse/service-kit';
import type {
  Broker,
  OutboundInterceptor,
  OutboundMessage,
  Session,
  Subscription,
} from '@echopulse/stomp-broker';
import type { HistoryReader } from '../history/history.reader';
import { HEADERS, type DeliveredMessage, type Notice } from '@echopulse/chat-contracts';
import type { ReactionService } from '../reactions/reaction.service';
import { principalOfSession } from './authenticate';

interface Held {
  seq: number;
  created: boolean;
  body: Buffer;
  headers: OutboundMessage['headers'];
}

interface ReplayState {
  channelId: string;
  afterSeq: number;
  /** Live records held while history is being sent. */
  held: Held[] | undefined;
  /** Highest seq sent; a created record at or below it is a duplicate. */
  floor: number;
}

const PAGE = 200;
const GAP_RETRIES = 15;
const GAP_WAIT_MS = 200;

const headerOf = (headers: OutboundMessage['headers'], name: string) =>
  headers.find(([n]) => n === name)?.[1];

/**
 * `SUBSCRIBE /topic/channels/{id}` with `after-seq: N` (chat-service/README.md "Fan-out and replay"): live
 * records for the subscription are held while history after N is sent to it alone, then the
 * held ones past what history covered are sent, and the subscription goes live — in one
 * synchronous step, so nothing interleaves. Afterwards, created records at or below the highest
 * seq sent are dropped (another instance may have put newer messages in Redis than this one
 * has delivered yet).
 */
export class Replayer {
  private readonly pending = new Map<string, ReplayState>();

  /** Replays expected but not started yet (for tests and metrics). */
  get waiting(): number {
    return this.pending.size;
  }
  private readonly states = new WeakMap<Subscription, ReplayState>();
  /** Set while this class itself sends, so the interceptor lets those through. */
  private sending = false;

  constructor(
    private readonly broker: Broker,
    private readonly history: HistoryReader,
    private readonly logger: Logger,
    /** Adds each replayed message's `reactions` for the subscribing user (one query a page). */
    private readonly reactions?: Pick<ReactionService, 'attach'>,
  ) {
    // A SUBSCRIBE allowed by the guard but refused by the broker itself (a limit, a duplicate
    // id) ends the session: nothing it expected may stay behind.
    broker.on('disconnected', (session) => {
      for (const key of this.pending.keys())
        if (key.startsWith(`${session.id}/`)) this.pending.delete(key);
    });
    broker.on('subscribed', (subscription) => {
      const key = `${subscription.session.id}/${subscription.id}`;
      const state = this.pending.get(key);
      if (!state) return;
      this.pending.delete(key);
      this.states.set(subscription, state);
      this.run(subscription, state).catch((error: unknown) => {
        this.logger.error({ err: error, channelId: state.channelId }, 'replay failed');
        broker.unsubscribe(subscription.session.id, subscription.id, 'replay_failed');
        broker.sendToSession(
          subscription.session,
          '/queue/notices',
          JSON.stringify({
            type: 'subscription-ended',
            destination: subscription.destination,
            reason: 'replay_failed',
          } satisfies Notice),
          [['content-type', 'application/json']],
        );
      });
    });
  }

  /** Called by the SUBSCRIBE guard once the subscription is allowed, before it exists. */
  expect(session: Session, subscriptionId: string, channelId: string, afterSeq: number): void {
    this.pending.set(`${session.id}/${subscriptionId}`, {
      channelId,
      afterSeq,
      held: [],
      floor: afterSeq,
    });
  }

  readonly interceptor: OutboundInterceptor = (message, _session, subscription) => {
    if (this.sending) return;
    const state = this.states.get(subscription);
    if (!state) return;
    const seqText = headerOf(message.headers, 'seq');
    // Reaction events carry counts newer than the page being replayed: held too, so that they
    // reach the client after the messages whose reactions they change.
    if (state.held && headerOf(message.headers, HEADERS.event)?.startsWith('reaction.')) {
      state.held.push({ seq: 0, created: false, body: message.body, headers: message.headers });
      return false;
    }
    if (seqText === undefined) return; // typing and the like are not replayed
    const created = headerOf(message.headers, 'event') === 'message.created';
    const seq = Number(seqText);
    if (state.held) {
      state.held.push({ seq, created, body: message.body, headers: message.headers });
      return false;
    }
    if (created && seq <= state.floor) return false;
  };

  private send(subscription: Subscription, message: DeliveredMessage): boolean {
    this.sending = true;
    try {
      return this.broker.sendToSubscription(
        subscription.session.id,
        subscription.id,
        JSON.stringify(message),
        [
          ['content-type', 'application/json'],
          [HEADERS.event, 'message.created'],
          [HEADERS.seq, String(message.seq)],
          ['replay', 'true'],
        ],
      );
    } finally {
      this.sending = false;
    }
  }

  private async run(subscription: Subscription, state: ReplayState): Promise<void> {
    let cursor = state.afterSeq;
    for (let attempt = 0; ; attempt++) {
      for (;;) {
        const read = await this.history.read(state.channelId, { after: cursor, limit: PAGE });
        const page = this.reactions
          ? await this.reactions.attach(
              state.channelId,
              read,
              principalOfSession(subscription.session).id,
            )
          : read;
        for (const message of page) {
          if (!this.send(subscription, message)) return; // unsubscribed or gone
          cursor = message.seq;
        }
        if (page.length < PAGE) break;
      }
      const firstHeld = state.held!.find((h) => h.created && h.seq > cursor);
      if (!firstHeld || firstHeld.seq === cursor + 1 || attempt >= GAP_RETRIES) {
        if (firstHeld && firstHeld.seq > cursor + 1) {
          this.logger.warn(
            { channelId: state.channelId, from: cursor + 1, to: firstHeld.seq - 1 },
            'replay: history has a gap (archive behind a flushed Redis); going live anyway',
          );
        }
        break;
      }
      await new Promise((r) => setTimeout(r, GAP_WAIT_MS)); // the archive is catching up
    }
    // From here to the end, synchronous: nothing can be delivered in between.
    const held = state.held!;
    state.held = undefined;
    this.sending = true;
    try {
      for (const h of held) {
        if (h.created && h.seq <= cursor) continue;
        if (h.created) cursor = h.seq;
        this.broker.sendToSubscription(subscription.session.id, subscription.id, h.body, h.headers);
      }
    } finally {
      this.sending = false;
    }
    state.floor = cursor;
  }
}
