import type {
  ReactionKey,
  ReactionState,
  ReactionStore,
  ReactionSummary,
  ReactionUser,
} from '../../src/reactions/reaction.repository';

/** ReactionRepository in memory, in insertion order (what the unit tests of the rules run over). */
export class MemoryReactionStore implements ReactionStore {
  /** `channel/message` → emoji → user id → user. */
  readonly rows = new Map<string, Map<string, Map<string, ReactionUser>>>();

  private message(channelId: string, messageId: string) {
    const id = `${channelId}/${messageId}`;
    let m = this.rows.get(id);
    if (!m) this.rows.set(id, (m = new Map()));
    return m;
  }

  async add(key: ReactionKey, user: ReactionUser, decide: (state: ReactionState) => void) {
    const m = this.message(key.channelId, key.messageId);
    const users = m.get(key.emoji);
    decide({ count: users?.size ?? 0, distinct: m.size, mine: !!users?.has(user.id) });
    if (users?.has(user.id)) return { added: false, count: users.size };
    const list = users ?? new Map<string, ReactionUser>();
    list.set(user.id, user);
    m.set(key.emoji, list);
    return { added: true, count: list.size };
  }

  async remove(key: ReactionKey, userId: string) {
    const users = this.message(key.channelId, key.messageId).get(key.emoji);
    const removed = !!users?.delete(userId);
    if (users && !users.size) this.message(key.channelId, key.messageId).delete(key.emoji);
    return { removed, count: users?.size ?? 0 };
  }

  async clear(channelId: string, messageId: string, emoji?: string) {
    const m = this.message(channelId, messageId);
    let n = 0;
    for (const [e, users] of m) {
      if (emoji !== undefined && e !== emoji) continue;
      n += users.size;
      m.delete(e);
    }
    return n;
  }

  async users(key: ReactionKey, after: string | undefined, limit: number) {
    const users = [...(this.message(key.channelId, key.messageId).get(key.emoji)?.values() ?? [])];
    return users
      .filter((u) => after === undefined || u.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async summaries(channelId: string, messageIds: readonly string[], userId: string) {
    const result = new Map<string, ReactionSummary[]>();
    for (const id of messageIds) {
      const m = this.rows.get(`${channelId}/${id}`);
      if (!m?.size) continue;
      result.set(
        id,
        [...m].map(([emoji, users]) => ({ emoji, count: users.size, me: users.has(userId) })),
      );
    }
    return result;
  }
}
