import { defineStore } from 'pinia';
import { ApiError, errorText, useApi } from '../composables/use-api';
import { makeNonce } from '../lib/nonce';
import { FrameRejection, useTransport, type SendReceipt } from '../lib/transport';
import type { ChatMessage, HistoryMessage, MessageEvent } from '../lib/types';
import { useAuthStore } from './use-auth-store';
import { useReadStatesStore } from './use-read-states-store';

/** A message as the client holds it: confirmed by chat-service, or still on its way. */
export interface LocalMessage extends ChatMessage {
  /** Stable across pending → confirmed, so the list does not re-render the row. */
  key: string;
  state: 'confirmed' | 'pending' | 'failed';
  nonce?: string;
  failure?: string;
  /** The refusal's code (FrameRejection), e.g. `disconnected`: resent after reconnecting. */
  failureCode?: string;
  /** Receipted without an id or seq: confirmed when its echo arrives on the topic. */
  awaitingEcho?: boolean;
  /** The channel's lastSeq when it was sent: its echo has a higher seq. */
  sentAfterSeq?: number;
}

export interface ChannelMessages {
  /** Confirmed messages by ascending seq; deleted ones are dropped. */
  items: LocalMessage[];
  /** Sent by this client, not yet confirmed (or failed), in send order. */
  pending: LocalMessage[];
  loaded: boolean;
  hasMoreBefore: boolean;
  loadingOlder: boolean;
  /** The highest seq seen (history, live, or a RECEIPT): the `after-seq` of a resubscription. */
  lastSeq: number;
  /** Refused for rate: no send before this time (ms since epoch); null when sending freely. */
  throttledUntil: number | null;
}

export const PAGE_SIZE = 50;

/**
 * A channel just created, or a guild just joined, reaches chat-service through Kafka a moment
 * after server-service answered: until then chat-service says not_found/forbidden. Sends (safe to
 * repeat: same nonce) and the first history load try again after these delays before giving up.
 */
export const retryPolicy = {
  sendDelaysMs: [300, 1000, 2000, 4000],
  loadDelaysMs: [300, 1000, 2000, 4000],
};
const transientSend = new Set(['not_found', 'forbidden', 'unavailable']);
/** Failures of the connection, not of the message. */
const interrupted = new Set(['disconnected', 'timeout']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const empty = (): ChannelMessages => ({
  items: [],
  pending: [],
  loaded: false,
  hasMoreBefore: true,
  loadingOlder: false,
  lastSeq: 0,
  throttledUntil: null,
});

/**
 * Sends of one channel go out one at a time, in the order they were written (issue #12 bug 3):
 * a message refused for rate waits its `retry-after` and goes again before any later one, so
 * nothing is reordered however fast the person types. The tail of each channel's chain.
 */
const sendChains = new WeakMap<ChannelMessages, Promise<void>>();
function inOrder(c: ChannelMessages, run: () => Promise<void>): Promise<void> {
  const before = sendChains.get(c);
  const next = before ? before.then(run) : run();
  sendChains.set(c, next);
  void next.finally(() => {
    if (sendChains.get(c) === next) sendChains.delete(c);
  });
  return next;
}
/** Waits after `rate_limited` before giving up on a message (at retry-after each time). */
export const RATE_LIMIT_MAX_WAITS = 60;

/** Inserts by seq; an equal seq replaces only a locally made copy (from a RECEIPT). */
function insert(list: LocalMessage[], message: LocalMessage): boolean {
  let i = list.length;
  while (i > 0 && list[i - 1]!.seq > message.seq) i--;
  const prev = list[i - 1];
  if (prev && prev.seq === message.seq) {
    if (prev.nonce) list[i - 1] = { ...message, key: prev.key };
    return false;
  }
  list.splice(i, 0, message);
  return true;
}

const fromServer = (m: ChatMessage): LocalMessage => ({ ...m, key: m.id, state: 'confirmed' });

export const useMessagesStore = defineStore('messages', {
  state: () => ({
    byChannel: {} as Record<string, ChannelMessages>,
    error: null as string | null,
  }),
  getters: {
    channel: (s) => (channelId: string) => s.byChannel[channelId] ?? empty(),
    /** What the message pane shows: confirmed messages, then this client's pending ones. */
    visible: (s) => (channelId: string) => {
      const c = s.byChannel[channelId];
      return c ? [...c.items, ...c.pending] : [];
    },
    lastSeq: (s) => (channelId: string) => s.byChannel[channelId]?.lastSeq ?? 0,
    /** Refused for rate and waiting: the pane says "Sending slowly… N queued". */
    throttled: (s) => (channelId: string) => s.byChannel[channelId]?.throttledUntil != null,
    /** Messages still to send in order (the one waiting for retry-after included). */
    queued: (s) => (channelId: string) =>
      s.byChannel[channelId]?.pending.filter((m) => m.state === 'pending' && !m.awaitingEcho)
        .length ?? 0,
    /** The newest confirmed message of mine (Up arrow edits it). */
    lastOwn: (s) => (channelId: string, userId: string) =>
      [...(s.byChannel[channelId]?.items ?? [])].reverse().find((m) => m.author.id === userId),
  },
  actions: {
    ensure(channelId: string): ChannelMessages {
      return (this.byChannel[channelId] ??= empty());
    },

    /** Raises lastSeq (e.g. from a read state) without loading anything. */
    noteSeq(channelId: string, seq: number) {
      const c = this.ensure(channelId);
      if (seq > c.lastSeq) c.lastSeq = seq;
    },

    /**
     * Applies one live or replayed event. Returns true for a message not seen before (so unread
     * counts and notifications count each message once, however often it is delivered).
     */
    ingest(event: MessageEvent, message: ChatMessage): boolean {
      const c = this.ensure(message.channelId);
      if (event === 'message.created') {
        if (message.deletedAt) return false;
        const echo = c.pending.findIndex(
          (p) =>
            p.awaitingEcho && p.author.id === message.author.id && p.content === message.content,
        );
        if (echo >= 0) {
          const [p] = c.pending.splice(echo, 1);
          insert(c.items, { ...fromServer(message), key: p!.key });
          if (message.seq > c.lastSeq) c.lastSeq = message.seq;
          return false;
        }
        const added = insert(c.items, fromServer(message));
        if (message.seq > c.lastSeq) c.lastSeq = message.seq;
        return added;
      }
      const i = c.items.findIndex((m) => m.id === message.id || m.seq === message.seq);
      if (event === 'message.deleted') {
        if (i >= 0) c.items.splice(i, 1);
        return false;
      }
      if (i >= 0) c.items[i] = { ...fromServer(message), key: c.items[i]!.key };
      return false;
    },

    /** The newest page of history (REST), merged with what live traffic already brought. */
    async loadLatest(channelId: string) {
      let page: HistoryMessage[] | undefined;
      for (let attempt = 0; !page; attempt++) {
        try {
          page = await useApi().chat.get<HistoryMessage[]>(
            `/channels/${channelId}/messages?limit=${PAGE_SIZE}`,
          );
        } catch (error) {
          const delay = retryPolicy.loadDelaysMs[attempt];
          const status = error instanceof ApiError ? error.status : 0;
          if (delay === undefined || (status !== 404 && status !== 403)) throw error;
          await sleep(delay);
        }
      }
      const c = this.ensure(channelId);
      for (const m of page) if (!m.deletedAt) insert(c.items, fromServer(m));
      const newest = page[page.length - 1]?.seq ?? 0;
      if (newest > c.lastSeq) c.lastSeq = newest;
      c.hasMoreBefore = page.length === PAGE_SIZE && (page[0]?.seq ?? 1) > 1;
      c.loaded = true;
    },

    /** The page before the oldest one held (infinite scroll upward). */
    async loadOlder(channelId: string): Promise<number> {
      const c = this.ensure(channelId);
      if (c.loadingOlder || !c.hasMoreBefore) return 0;
      const oldest = c.items[0]?.seq;
      if (oldest === undefined) return 0;
      c.loadingOlder = true;
      try {
        const page = await useApi().chat.get<HistoryMessage[]>(
          `/channels/${channelId}/messages?before=${oldest}&limit=${PAGE_SIZE}`,
        );
        let added = 0;
        for (const m of page) if (!m.deletedAt && insert(c.items, fromServer(m))) added++;
        c.hasMoreBefore = page.length === PAGE_SIZE && (page[0]?.seq ?? 1) > 1;
        return added;
      } finally {
        c.loadingOlder = false;
      }
    },

    /**
     * Optimistic send: the message shows at once as pending under a fresh nonce; the RECEIPT
     * (message id and seq) confirms it, a refusal marks it failed with the reason and a retry.
     */
    async send(channelId: string, guildId: string, content: string, replyTo?: string) {
      const auth = useAuthStore();
      const nonce = makeNonce();
      const c = this.ensure(channelId);
      c.pending.push({
        id: `pending-${nonce}`,
        key: `nonce-${nonce}`,
        seq: 0,
        channelId,
        guildId,
        author: { id: auth.userId ?? '', username: auth.username ?? '' },
        content,
        mentions: { users: [], everyone: false },
        createdAt: new Date().toISOString(),
        ...(replyTo ? { replyTo } : {}),
        state: 'pending',
        nonce,
        sentAfterSeq: c.lastSeq,
      });
      await inOrder(this.ensure(channelId), () => this.deliver(channelId, nonce));
    },

    /** Sends again under the same nonce: chat-service answers a resent nonce with the original. */
    async retry(channelId: string, nonce: string) {
      const p = this.ensure(channelId).pending.find((m) => m.nonce === nonce);
      if (!p) return;
      p.state = 'pending';
      delete p.failure;
      delete p.failureCode;
      await inOrder(this.ensure(channelId), () => this.deliver(channelId, nonce));
    },

    /**
     * After a reconnect: sends again what failed only because the connection was gone (same
     * nonce, so a send that did reach chat-service before the drop is not duplicated).
     */
    resendInterrupted() {
      for (const [channelId, c] of Object.entries(this.byChannel)) {
        for (const m of c.pending) {
          if (m.state === 'failed' && m.nonce && interrupted.has(m.failureCode ?? '')) {
            void this.retry(channelId, m.nonce);
          }
        }
      }
    },

    discard(channelId: string, nonce: string) {
      const c = this.ensure(channelId);
      c.pending = c.pending.filter((m) => m.nonce !== nonce);
    },

    async deliver(channelId: string, nonce: string) {
      const c = this.ensure(channelId);
      const p = c.pending.find((m) => m.nonce === nonce);
      if (!p) return;
      try {
        const body = { content: p.content, nonce, ...(p.replyTo ? { replyTo: p.replyTo } : {}) };
        let receipt: SendReceipt | undefined;
        let rateWaits = 0;
        for (let attempt = 0; !receipt; attempt++) {
          try {
            receipt = await useTransport().sendMessage(channelId, body);
          } catch (error) {
            if (
              error instanceof FrameRejection &&
              error.code === 'rate_limited' &&
              rateWaits++ < RATE_LIMIT_MAX_WAITS &&
              c.pending.some((m) => m.nonce === nonce)
            ) {
              // queued, not failed: the same message goes again first when the server allows
              const wait = Math.max(error.retryAfterMs ?? 1000, 50);
              c.throttledUntil = Date.now() + wait;
              await sleep(wait);
              c.throttledUntil = null;
              if (!c.pending.some((m) => m.nonce === nonce)) return; // discarded meanwhile
              attempt--;
              continue;
            }
            const delay = retryPolicy.sendDelaysMs[attempt];
            if (
              delay === undefined ||
              !(error instanceof FrameRejection) ||
              !transientSend.has(error.code)
            ) {
              throw error;
            }
            await sleep(delay);
          }
        }
        if (receipt.seq === undefined || receipt.messageId === undefined) {
          // the echo may have come first: then it is already in the list
          const echoed = c.items.some(
            (m) =>
              m.author.id === p.author.id &&
              m.content === p.content &&
              m.seq > (p.sentAfterSeq ?? 0) &&
              !m.nonce,
          );
          if (echoed) c.pending = c.pending.filter((m) => m.nonce !== nonce);
          else p.awaitingEcho = true;
          return;
        }
        c.pending = c.pending.filter((m) => m.nonce !== nonce);
        insert(c.items, { ...p, id: receipt.messageId, seq: receipt.seq, state: 'confirmed' });
        if (receipt.seq > c.lastSeq) c.lastSeq = receipt.seq;
        this.readUpTo(channelId, p.guildId, receipt.seq);
      } catch (error) {
        const still = c.pending.find((m) => m.nonce === nonce);
        if (still) {
          still.state = 'failed';
          still.failure = errorText(error);
          still.failureCode = error instanceof FrameRejection ? error.code : undefined;
        }
      }
    },

    /**
     * Whoever sends has read the channel (issue #12 bug 2): the marker moves to their message, so
     * coming back draws no "new" line above it and counts nothing of theirs as unread.
     */
    readUpTo(channelId: string, guildId: string, seq: number) {
      if (!useReadStatesStore().markRead(channelId, guildId, seq)) return;
      try {
        useTransport().markRead(channelId, seq);
      } catch {
        /* offline: the next view of the channel sends it */
      }
    },

    /** Optimistic edit, rolled back (and rethrown) if chat-service refuses it. */
    async edit(channelId: string, messageId: string, content: string) {
      const c = this.ensure(channelId);
      const i = c.items.findIndex((m) => m.id === messageId);
      const before = c.items[i];
      if (!before) return;
      c.items[i] = { ...before, content, editedAt: new Date().toISOString() };
      try {
        await useTransport().editMessage(channelId, messageId, content);
      } catch (error) {
        const j = c.items.findIndex((m) => m.id === messageId);
        if (j >= 0) c.items[j] = before;
        throw error;
      }
    },

    /** Optimistic delete, restored (and rethrown) if chat-service refuses it. */
    async remove(channelId: string, messageId: string) {
      const c = this.ensure(channelId);
      const before = c.items.find((m) => m.id === messageId);
      if (!before) return;
      c.items = c.items.filter((m) => m.id !== messageId);
      try {
        await useTransport().deleteMessage(channelId, messageId);
      } catch (error) {
        insert(c.items, before);
        throw error;
      }
    },
  },
});
