import { Permissions, hasPermission } from '@echopulse/guild-contracts';
import {
  AppError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  type Principal,
} from '@echopulse/service-kit';
import type { ChannelAccess, ChannelGrant } from '../access/channel-access';
import type { ChatMessage, MessageWithReactions, ReactionEvent } from '@echopulse/chat-contracts';
import { parseReactionEmoji } from './reaction-emoji';
import type { ReactionKey, ReactionStore, ReactionUser } from './reaction.repository';

/** Distinct emoji one message may carry (issue #13). */
export const MAX_REACTION_EMOJI = 20;

/** Tells every subscriber of the channel's topic, on every instance. */
export type ReactionPublisher = (channelId: string, event: ReactionEvent) => void;

/** A message of the channel in its newest state (archive, Redis, or the sequencer's record). */
export type MessageLookup = (
  channelId: string,
  messageId: string,
) => Promise<ChatMessage | undefined>;

/** 400 `max_reactions`: as Discord's 30010 "Maximum number of reactions reached", a 400. */
export class TooManyReactionsError extends AppError {
  constructor() {
    super(
      400,
      'max_reactions',
      `A message carries at most ${MAX_REACTION_EMOJI} different emoji; react with one already on it.`,
    );
  }
}

const unknownChannel = () => new NotFoundError('Channel', 'unknown_channel');
const unknownMessage = () => new NotFoundError('Message', 'unknown_message');

/**
 * Reactions by Discord's rules: every action needs VIEW_CHANNEL (else the channel is not found)
 * and READ_MESSAGE_HISTORY; an emoji new to the message also needs ADD_REACTIONS; removing
 * another user's reaction or clearing needs MANAGE_MESSAGES; a deleted message is not found; at
 * most {@link MAX_REACTION_EMOJI} distinct emoji per message. Adds and removes are idempotent
 * per user, message and emoji; each change is published once it is stored.
 */
export class ReactionService {
  constructor(
    private readonly access: Pick<ChannelAccess, 'channel'>,
    private readonly messages: MessageLookup,
    private readonly store: ReactionStore,
    private readonly publish: ReactionPublisher,
  ) {}

  /** VIEW_CHANNEL (404 otherwise) and READ_MESSAGE_HISTORY (403). */
  private async grant(principal: Principal, channelId: string): Promise<ChannelGrant> {
    const grant = await this.access.channel(principal, channelId);
    if (!grant || !hasPermission(grant.permissions, Permissions.VIEW_CHANNEL))
      throw unknownChannel();
    if (!hasPermission(grant.permissions, Permissions.READ_MESSAGE_HISTORY))
      throw new ForbiddenError(
        'You may not read the history of this channel, so not its reactions either.',
        'missing_permission',
      );
    return grant;
  }

  /** The message, not deleted; 404 otherwise. */
  private async message(channelId: string, messageId: string): Promise<ChatMessage> {
    const message = await this.messages(channelId, messageId);
    if (!message || message.deletedAt) throw unknownMessage();
    return message;
  }

  private key(channelId: string, messageId: string, emoji: string): ReactionKey {
    const parsed = parseReactionEmoji(emoji);
    if (!parsed)
      throw new BadRequestError(
        'emoji: give exactly one Unicode emoji, URL-encoded (e.g. %F0%9F%91%8D for 👍).',
      );
    return { channelId, messageId, emoji: parsed };
  }

  private requireManage(grant: ChannelGrant): void {
    if (!hasPermission(grant.permissions, Permissions.MANAGE_MESSAGES))
      throw new ForbiddenError(
        "You may not remove others' reactions here (MANAGE_MESSAGES).",
        'missing_permission',
      );
  }

  /** PUT …/reactions/{emoji}/@me. Reacting twice changes nothing and publishes nothing. */
  async add(principal: Principal, channelId: string, messageId: string, emoji: string) {
    const key = this.key(channelId, messageId, emoji);
    const grant = await this.grant(principal, channelId);
    await this.message(channelId, messageId);
    const mayCreate = hasPermission(grant.permissions, Permissions.ADD_REACTIONS);
    const user: ReactionUser = { id: principal.id, username: principal.username };
    const { added, count } = await this.store.add(key, user, (state) => {
      if (state.mine || state.count > 0) return; // joining an existing reaction
      if (!mayCreate)
        throw new ForbiddenError(
          'You may not add a new reaction here (ADD_REACTIONS); join one already on the message.',
          'missing_permission',
        );
      if (state.distinct >= MAX_REACTION_EMOJI) throw new TooManyReactionsError();
    });
    if (added)
      this.publish(channelId, {
        event: 'reaction.added',
        body: { messageId, emoji: key.emoji, userId: principal.id, count },
      });
  }

  /** DELETE …/reactions/{emoji}/@me, or …/{userId} (MANAGE_MESSAGES unless it is the caller). */
  async remove(
    principal: Principal,
    channelId: string,
    messageId: string,
    emoji: string,
    userId = principal.id,
  ) {
    const key = this.key(channelId, messageId, emoji);
    const grant = await this.grant(principal, channelId);
    if (userId !== principal.id) this.requireManage(grant);
    await this.message(channelId, messageId);
    const { removed, count } = await this.store.remove(key, userId);
    if (removed)
      this.publish(channelId, {
        event: 'reaction.removed',
        body: { messageId, emoji: key.emoji, userId, count },
      });
  }

  /** DELETE …/reactions (every emoji) or …/reactions/{emoji} (one); MANAGE_MESSAGES. */
  async clear(principal: Principal, channelId: string, messageId: string, emoji?: string) {
    const key = emoji === undefined ? undefined : this.key(channelId, messageId, emoji);
    const grant = await this.grant(principal, channelId);
    this.requireManage(grant);
    await this.message(channelId, messageId);
    const removed = await this.store.clear(channelId, messageId, key?.emoji);
    if (removed)
      this.publish(channelId, {
        event: 'reaction.cleared',
        body: { messageId, ...(key ? { emoji: key.emoji } : {}) },
      });
  }

  /** GET …/reactions/{emoji}: who reacted, by user id after `after`. */
  async users(
    principal: Principal,
    channelId: string,
    messageId: string,
    emoji: string,
    after: string | undefined,
    limit: number,
  ): Promise<ReactionUser[]> {
    const key = this.key(channelId, messageId, emoji);
    await this.grant(principal, channelId);
    await this.message(channelId, messageId);
    return this.store.users(key, after, limit);
  }

  /** GET …/messages/{messageId}: one message, deleted ones included (seq has no gaps). */
  async one(
    principal: Principal,
    channelId: string,
    messageId: string,
  ): Promise<MessageWithReactions> {
    await this.grant(principal, channelId);
    const message = await this.messages(channelId, messageId);
    if (!message) throw unknownMessage();
    const [withReactions] = await this.attach(channelId, [message], principal.id);
    return withReactions!;
  }

  /**
   * The page with each message's reactions for `userId` (`me`), in one query. A deleted
   * message shows none: its content is gone, and so is what was said about it.
   */
  async attach(
    channelId: string,
    page: readonly ChatMessage[],
    userId: string,
  ): Promise<MessageWithReactions[]> {
    const live = page.filter((m) => !m.deletedAt).map((m) => m.id);
    const byMessage = await this.store.summaries(channelId, live, userId);
    return page.map((m) => ({
      ...m,
      reactions: m.deletedAt ? [] : (byMessage.get(m.id) ?? []),
    }));
  }
}
