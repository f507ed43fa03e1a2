import { MessageTemplate } from '../codec/serializer';
import type { OutboundInterceptor } from '../hooks';
import type { BrokerLimits } from '../limits';
import type { BrokerMetrics } from '../metrics';
import { writeToSession } from '../session-writer';
import { SessionState, type Session, type Subscription } from '../session';
import { destinationKind } from './destination';

interface Queued {
  template: MessageTemplate;
  redelivered: boolean;
}

interface Queue {
  consumers: Subscription[];
  /** Round-robin position. */
  next: number;
  backlog: Queued[];
}

/** What the router needs from the broker around it. */
export interface RouterContext {
  readonly limits: BrokerLimits;
  readonly metrics: BrokerMetrics;
  readonly outbound: OutboundInterceptor[];
  /** Ends a session that reads too slowly. */
  slowConsumer(session: Session): void;
}

/**
 * Holds the subscriptions of one broker process and delivers MESSAGE frames: topics (every
 * subscriber), queues (competing consumers, round robin, with acknowledgements and redelivery)
 * and user destinations (every session of a principal). Delivery never waits for a socket: the
 * slow-consumer policy decides per delivery from the transport's buffered amount.
 */
export class MessageRouter {
  private readonly topics = new Map<string, Set<Subscription>>();
  /** `/user/…` subscriptions by principal name. */
  private readonly users = new Map<string, Set<Subscription>>();
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly context: RouterContext) {}

  /** Registers a subscription (queues are dispatched separately, after the RECEIPT). */
  subscribe(subscription: Subscription): void {
    const { destination } = subscription;
    const kind = destinationKind(destination);
    if (kind === 'topic') addTo(this.topics, destination, subscription);
    else if (kind === 'user') addTo(this.users, subscription.session.principal!.name, subscription);
    else if (kind === 'queue') this.queue(destination).consumers.push(subscription);
  }

  /** Removes a subscription; its unacknowledged queue messages go back, marked redelivered. */
  unsubscribe(subscription: Subscription): void {
    const { destination, session } = subscription;
    const kind = destinationKind(destination);
    if (kind === 'topic') removeFrom(this.topics, destination, subscription);
    else if (kind === 'user' && session.principal) {
      removeFrom(this.users, session.principal.name, subscription);
    } else if (kind === 'queue') {
      const queue = this.queues.get(destination);
      if (!queue) return;
      const i = queue.consumers.indexOf(subscription);
      if (i >= 0) queue.consumers.splice(i, 1);
      if (session.unacked && subscription.unacked > 0) {
        const back: Queued[] = [];
        for (const [key, pending] of session.unacked) {
          if (pending.subscription !== subscription) continue;
          session.unacked.delete(key);
          back.push({ template: pending.template, redelivered: true });
        }
        subscription.unacked = 0;
        // In their original order, ahead of newer messages.
        queue.backlog.unshift(...back);
      }
      this.dispatch(destination);
    }
  }

  /** Delivers to every local subscriber of a topic. */
  publishTopic(template: MessageTemplate): void {
    const subscribers = this.topics.get(template.destination);
    if (subscribers) for (const s of subscribers) this.deliver(s, template, true);
  }

  /** Delivers to every local session of `user` subscribed to `template.destination` (`/user/…`). */
  deliverToUser(user: string, template: MessageTemplate): void {
    const subscriptions = this.users.get(user);
    if (!subscriptions) return;
    for (const s of subscriptions) {
      if (s.destination === template.destination) this.deliver(s, template, false);
    }
  }

  /** Adds to a queue; held (bounded, oldest dropped) until a consumer can take it. */
  enqueue(destination: string, template: MessageTemplate): void {
    const queue = this.queue(destination);
    queue.backlog.push({ template, redelivered: false });
    if (queue.backlog.length > this.context.limits.maxQueuedMessages) {
      queue.backlog.shift();
      this.context.metrics.queueDrops++;
    }
    this.dispatch(destination);
  }

  /** Messages waiting in a queue (for tests and monitoring). */
  queued(destination: string): number {
    return this.queues.get(destination)?.backlog.length ?? 0;
  }

  /** Hands queued messages to consumers with room, round robin. */
  dispatch(destination: string): void {
    const queue = this.queues.get(destination);
    if (!queue) return;
    const { backlog, consumers } = queue;
    const max = this.context.limits.maxUnackedPerSubscription;
    while (backlog.length && consumers.length) {
      let consumer: Subscription | undefined;
      for (let tries = 0; tries < consumers.length; tries++) {
        const candidate = consumers[queue.next++ % consumers.length]!;
        if (
          candidate.session.state === SessionState.Connected &&
          (candidate.ack === 'auto' || candidate.unacked < max)
        ) {
          consumer = candidate;
          break;
        }
      }
      if (!consumer) break;
      const item = backlog.shift()!;
      if (!this.deliver(consumer, item.template, false, item.redelivered, destination)) {
        backlog.unshift(item);
      }
    }
    if (!consumers.length && !backlog.length) this.queues.delete(destination);
  }

  /**
   * Settles an ACK or NACK. `key` is the MESSAGE's `ack` header (1.2) or its `message-id`
   * (1.0/1.1). In `client` mode it settles every earlier message of the subscription too
   * (spec 1.2 "SUBSCRIBE ack Header"). A NACKed message goes back to its queue, redelivered.
   * An unknown key (a topic message, or one already settled) is ignored.
   */
  settle(session: Session, key: string, positive: boolean): void {
    const unacked = session.unacked;
    const target = unacked?.get(key);
    if (!unacked || !target) return;
    const settled: (typeof target)[] = [];
    if (target.subscription.ack === 'client') {
      for (const [k, pending] of unacked) {
        if (pending.subscription !== target.subscription) continue;
        unacked.delete(k);
        settled.push(pending);
        if (pending === target) break;
      }
    } else {
      unacked.delete(key);
      settled.push(target);
    }
    target.subscription.unacked -= settled.length;
    if (!positive) {
      const queue = this.queue(target.queue);
      queue.backlog.unshift(...settled.map((p) => ({ template: p.template, redelivered: true })));
    }
    this.dispatch(target.queue);
  }

  /**
   * Sends one MESSAGE to one subscription. Returns false when it was not sent because the session
   * is not connected or reads too slowly. `droppable` messages (topics) are dropped for a slow
   * consumer; others only count towards disconnecting it.
   */
  deliver(
    subscription: Subscription,
    template: MessageTemplate,
    droppable: boolean,
    redelivered = false,
    queue?: string,
  ): boolean {
    const session = subscription.session;
    if (session.state !== SessionState.Connected) return false;
    const { limits, metrics } = this.context;
    const buffered = session.transport.bufferedAmount;
    if (buffered > limits.slowConsumerDropBytes) {
      if (buffered > limits.slowConsumerCloseBytes) {
        this.context.slowConsumer(session);
        return false;
      }
      if (droppable) {
        metrics.drops++;
        if (++session.dropsInARow >= limits.slowConsumerMaxDrops)
          this.context.slowConsumer(session);
        return false;
      }
    } else if (session.dropsInARow) session.dropsInARow = 0;

    let message = template;
    const outbound = this.context.outbound;
    for (let i = 0; i < outbound.length; i++) {
      const verdict = outbound[i]!(message, session, subscription);
      if (verdict === false) {
        metrics.outboundDrops++;
        return true;
      }
      if (verdict && verdict !== true) {
        message = new MessageTemplate(
          message.destination,
          verdict.headers ?? message.headers,
          verdict.body ?? message.body,
          message.messageId,
        );
      }
    }

    let ack: string | undefined;
    if (subscription.ack !== 'auto') {
      const v12 = session.version === '1.2';
      const key = v12 ? String(++session.ackSeq) : message.messageId;
      if (v12) ack = key; // Spec 1.2 "MESSAGE": an `ack` header to quote in ACK/NACK `id`.
      if (queue !== undefined) {
        (session.unacked ??= new Map()).set(key, { template: message, subscription, queue });
        subscription.unacked++;
      }
    }
    const data = message.render(session.version, subscription.prefix, ack, redelivered);
    writeToSession(session, metrics, data, !message.text);
    return true;
  }

  private queue(destination: string): Queue {
    let queue = this.queues.get(destination);
    if (!queue) {
      queue = { consumers: [], next: 0, backlog: [] };
      this.queues.set(destination, queue);
    }
    return queue;
  }
}

function addTo<K>(map: Map<K, Set<Subscription>>, key: K, subscription: Subscription): void {
  const set = map.get(key);
  if (set) set.add(subscription);
  else map.set(key, new Set([subscription]));
}

function removeFrom<K>(map: Map<K, Set<Subscription>>, key: K, subscription: Subscription): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(subscription);
  if (!set.size) map.delete(key);
}
