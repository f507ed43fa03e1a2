import { useMembersStore } from '../stores/use-members-store';

/**
 * server-service does not push member changes to browsers; someone unknown showing up in a
 * guild's presence or messages has joined, so the guild's member list is reloaded, once per
 * burst (300 ms) however many frames name newcomers.
 */
export class MemberReloads {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly burstMs = 300) {}

  /** `userId` was seen in `guildId`: reload the list unless it is not loaded or knows them. */
  seen(guildId: string, userId: string): void {
    const members = useMembersStore();
    if (!members.byGuild[guildId] || members.member(guildId, userId)) return;
    if (this.timers.has(guildId)) return;
    this.timers.set(
      guildId,
      setTimeout(() => {
        this.timers.delete(guildId);
        members.load(guildId).catch(() => undefined);
      }, this.burstMs),
    );
  }

  cancel(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
