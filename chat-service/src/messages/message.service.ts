import { Permissions, hasPermission } from '@echopulse/guild-contracts';
import { hasRole, type Logger, type Principal } from '@echopulse/service-kit';
import { FrameRejection } from '@echopulse/stomp-broker';
import type { ChannelAccess, ChannelGrant } from '../access/channel-access';
import type { HistoryReader } from '../history/history.reader';
import type { ChatMessage } from '@echopulse/chat-contracts';
import { parseEdit, parseMentions, parseNewMessage } from './message-input';
import { channelNotFound, forbidden, unavailable } from './refusals';
import type { SendLimits } from './send-limits';
import type { SequencerRouter } from '../sequencing/sequencer-router';
import type { ChangeRequest } from '../sequencing/sequencer';

/**
 * Sending, editing and deleting, with the rules of issue #5: permissions from the projection,
 * content checks, rate limit and slowmode, then the sequencer (seq, Kafka with acks=all) —
 * resolving only once the record is durable, which is when the gateway sends the RECEIPT.
 */
export class MessageService {
  constructor(
    private readonly access: ChannelAccess,
    private readonly limits: Pick<SendLimits, 'check' | 'release'>,
    /** The router in the service; the unit tests give it a Sequencer over an in-memory store. */
    private readonly sequencer: Pick<
      SequencerRouter,
      'byId' | 'byNonce' | 'create' | 'change' | 'settle'
    >,
    private readonly history: Pick<HistoryReader, 'byId'>,
    private readonly logger: Logger,
  ) {}

  /** Kafka or a database failed: logged with its cause; the client hears `unavailable`. */
  private unavailable(cause: unknown): FrameRejection {
    this.logger.warn({ err: cause }, 'a message could not be stored; the sender may retry');
    return Object.assign(unavailable(), { cause });
  }

  /** The grant, or not_found when the channel is unknown or invisible to the user. */
  async grant(principal: Principal, channelId: string): Promise<ChannelGrant> {
    const grant = await this.access.channel(principal, channelId);
    if (!grant || !hasPermission(grant.permissions, Permissions.VIEW_CHANNEL))
      throw channelNotFound();
    return grant;
  }

  async send(principal: Principal, channelId: string, body: string): Promise<ChatMessage> {
    const input = parseNewMessage(body);
    const grant = await this.grant(principal, channelId);
    if (!hasPermission(grant.permissions, Permissions.SEND_MESSAGES))
      throw forbidden('send messages');
    const bypassSlowmode = hasPermission(
      grant.permissions,
      Permissions.MANAGE_MESSAGES | Permissions.MANAGE_CHANNELS,
    );
    if (
      input.replyTo &&
      !(await this.history.byId(channelId, input.replyTo, await this.sequencer.byId(input.replyTo)))
    ) {
      throw new FrameRejection('invalid_message', 'replyTo: no such message in this channel.');
    }
    const slowmode = bypassSlowmode ? 0 : grant.slowmodeSeconds;
    try {
      await this.limits.check(principal.id, channelId, slowmode);
    } catch (refusal) {
      // A resend of an acknowledged message answers with the original, whatever limits say now
      // (looked up only here: the sequencer finds resends by their nonce anyway).
      const earlier = await this.sequencer.byNonce(principal.id, input.nonce);
      if (!earlier) throw refusal;
      await this.sequencer.settle(earlier.channelId); // its produce may have been cut short
      return earlier;
    }
    try {
      const { message, duplicate } = await this.sequencer.create(
        {
          channelId,
          guildId: grant.guildId,
          author: { id: principal.id, username: principal.username },
          content: input.content,
          mentions: parseMentions(
            input.content,
            hasPermission(grant.permissions, Permissions.MENTION_EVERYONE),
          ),
          ...(input.replyTo ? { replyTo: input.replyTo } : {}),
        },
        input.nonce,
      );
      if (duplicate) await this.sequencer.settle(message.channelId);
      return message;
    } catch (error) {
      if (slowmode) await this.limits.release(principal.id, channelId).catch(() => undefined);
      if (error instanceof FrameRejection) throw error;
      throw this.unavailable(error);
    }
  }

  /**
   * The author only, and only while allowed to send: SEND_MESSAGES in the channel (as on
   * Discord) and the per-user rate limit, one bucket with sends. Slowmode does not apply to
   * edits (Discord's rule too). Content rules as for sending.
   */
  async edit(
    principal: Principal,
    channelId: string,
    messageId: string,
    body: string,
  ): Promise<ChatMessage> {
    const { content } = parseEdit(body);
    const grant = await this.grant(principal, channelId);
    if (!hasPermission(grant.permissions, Permissions.SEND_MESSAGES))
      throw forbidden('send messages');
    await this.limits.check(principal.id, channelId, 0);
    return this.change(channelId, {
      kind: 'edit',
      messageId,
      actorId: principal.id,
      content,
      mentions: parseMentions(
        content,
        hasPermission(grant.permissions, Permissions.MENTION_EVERYONE),
      ),
    });
  }

  /** The author, MANAGE_MESSAGES in the channel, or a realm moderator. */
  async delete(principal: Principal, channelId: string, messageId: string): Promise<ChatMessage> {
    const grant = await this.grant(principal, channelId);
    return this.change(channelId, {
      kind: 'delete',
      messageId,
      actorId: principal.id,
      mayModerate:
        hasPermission(grant.permissions, Permissions.MANAGE_MESSAGES) ||
        hasRole(principal, 'moderator') ||
        hasRole(principal, 'admin'),
    });
  }

  /** The owner of the channel decides on the message's current state (message-changes.ts). */
  private async change(
    channelId: string,
    request: Exclude<ChangeRequest, { kind: 'settle' }>,
  ): Promise<ChatMessage> {
    try {
      const record = await this.sequencer.change(channelId, request);
      if (!record) throw new Error('a change produced no record');
      return record.message;
    } catch (error) {
      if (error instanceof FrameRejection) throw error;
      throw this.unavailable(error);
    }
  }
}
