import { HEADERS, MESSAGE_EVENT_TYPES, TYPING_EVENT } from '@echopulse/chat-contracts';
import { mentionsUser } from '../lib/content';
import type { ChatMessage, MessageEvent, TypingEvent } from '../lib/types';
import { useAuthStore } from '../stores/use-auth-store';
import { useChannelsStore } from '../stores/use-channels-store';
import { useMessagesStore } from '../stores/use-messages-store';
import { usePresenceStore } from '../stores/use-presence-store';
import { useReadStatesStore } from '../stores/use-read-states-store';
import type { MemberReloads } from './member-reloads';
import type { InboundFrame, Watch } from './stomp-connection';

const messageEvents = new Set<string>(MESSAGE_EVENT_TYPES);

/**
 * A channel topic into the stores: messages (created, edited, deleted), who is typing, and the
 * unread count and mention badge of a message from someone else.
 */
export function channelWatch(channelId: string, memberReloads: MemberReloads): Watch {
  return {
    onMessage: (frame) => onChannelFrame(channelId, frame, memberReloads),
    // resumes after the highest seq held (from history or live) or named by the channel's read
    // state (a channel never opened, issue #12 bug 9); with neither there is nothing to resume
    // from. The messages store drops by seq what it already holds.
    resumeAfter: () => {
      const state = useMessagesStore().byChannel[channelId];
      const held = state?.lastSeq ?? 0;
      const newest = Math.max(held, useReadStatesStore().byChannel[channelId]?.lastSeq ?? 0);
      return state?.loaded || newest > 0 ? newest : undefined;
    },
  };
}

function onChannelFrame(channelId: string, frame: InboundFrame, memberReloads: MemberReloads) {
  const event = frame.headers[HEADERS.event] ?? '';
  if (event === TYPING_EVENT) {
    usePresenceStore().typing(JSON.parse(frame.body) as TypingEvent);
    return;
  }
  if (!messageEvents.has(event)) return;
  const message = JSON.parse(frame.body) as ChatMessage;
  const isNew = useMessagesStore().ingest(event as MessageEvent, message);
  if (event !== 'message.created') return;
  usePresenceStore().stoppedTyping(channelId, message.author.id);
  memberReloads.seen(message.guildId, message.author.id);
  const me = useAuthStore().userId;
  if (!isNew || message.author.id === me) return;
  const viewing =
    useChannelsStore().currentChannelId === channelId &&
    (typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useReadStatesStore().onMessage(
    channelId,
    message.guildId,
    message.seq,
    me !== null && mentionsUser(message, me),
    viewing,
  );
}
