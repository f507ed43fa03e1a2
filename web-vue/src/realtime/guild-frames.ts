import { HEADERS, PRESENCE_EVENT } from '@echopulse/chat-contracts';
import type { PresenceEvent } from '../lib/types';
import { usePresenceStore } from '../stores/use-presence-store';
import type { MemberReloads } from './member-reloads';
import type { Watch } from './stomp-connection';

/** A guild topic into the stores: members' presence (online, idle, offline). */
export function guildWatch(guildId: string, memberReloads: MemberReloads): Watch {
  return {
    onMessage: (frame) => {
      if (frame.headers[HEADERS.event] !== PRESENCE_EVENT) return;
      const event = JSON.parse(frame.body) as PresenceEvent;
      usePresenceStore().apply(guildId, event);
      memberReloads.seen(guildId, event.userId);
    },
  };
}
