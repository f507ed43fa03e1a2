import {
  Controller,
  Delete,
  Get,
  Path,
  Put,
  Query,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { Snowflake } from '../http/common-responses';
import type { ProblemDocument } from '../http/problem.types';
import { principalOf, type Services } from '../http/services';

/** A user who reacted, as Discord's "get reactions" lists them. */
export interface ReactionUserView {
  /** The Keycloak subject. */
  id: string;
  /** As of the reaction. */
  username: string;
}

/**
 * A Keycloak subject (user id).
 * @minLength 1
 * @maxLength 64
 */
type UserId = string;

/**
 * Unicode emoji reactions with Discord's paths and rules (chat-service/README.md "Reactions").
 * `{emoji}` is one URL-encoded Unicode emoji (an RGI emoji: ZWJ sequences, skin tones and flags
 * included); anything else is 400. Every change is told live to the channel's topic
 * (`reaction.added`, `reaction.removed`, `reaction.cleared`).
 */
@Route('channels')
@Tags('Reactions')
@Security('keycloak')
@Response<ProblemDocument>(
  400,
  'Not exactly one emoji, invalid ids or query, or the 21st distinct emoji (max_reactions)',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  403,
  'No READ_MESSAGE_HISTORY, no ADD_REACTIONS for a new emoji, no MANAGE_MESSAGES for others\' reactions, or no realm role "user"',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  404,
  'No such channel (or not visible to the caller), or no such message, or it is deleted',
  undefined,
  'application/problem+json',
)
export class ReactionsController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * Reacts with the emoji. An emoji already on the message needs VIEW_CHANNEL and
   * READ_MESSAGE_HISTORY; a new one also ADD_REACTIONS; at most 20 distinct emoji per message.
   * Idempotent: reacting again changes nothing.
   * @param emoji one URL-encoded Unicode emoji, e.g. %F0%9F%91%8D
   */
  @Put('{channelId}/messages/{messageId}/reactions/{emoji}/@me')
  @SuccessResponse(204, 'Reacted (or already had)')
  async addMyReaction(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
    @Path() emoji: string,
  ): Promise<void> {
    await this.services.reactions.add(principalOf(req), channelId, messageId, emoji);
    this.setStatus(204);
  }

  /**
   * Takes the caller's reaction back. Idempotent.
   * @param emoji one URL-encoded Unicode emoji
   */
  @Delete('{channelId}/messages/{messageId}/reactions/{emoji}/@me')
  @SuccessResponse(204, 'Removed (or there was none)')
  async removeMyReaction(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
    @Path() emoji: string,
  ): Promise<void> {
    await this.services.reactions.remove(principalOf(req), channelId, messageId, emoji);
    this.setStatus(204);
  }

  /**
   * Removes one user's reaction; MANAGE_MESSAGES unless it is the caller's own.
   * @param emoji one URL-encoded Unicode emoji
   * @param userId whose reaction (a Keycloak subject)
   */
  @Delete('{channelId}/messages/{messageId}/reactions/{emoji}/{userId}')
  @SuccessResponse(204, 'Removed (or there was none)')
  async removeUserReaction(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
    @Path() emoji: string,
    @Path() userId: UserId,
  ): Promise<void> {
    await this.services.reactions.remove(principalOf(req), channelId, messageId, emoji, userId);
    this.setStatus(204);
  }

  /**
   * The users who reacted with the emoji, by user id. Needs VIEW_CHANNEL and
   * READ_MESSAGE_HISTORY.
   * @param emoji one URL-encoded Unicode emoji
   * @param after users with a greater id than this one (the last of the previous page)
   * @param limit page size, 1–100 (default 25)
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get('{channelId}/messages/{messageId}/reactions/{emoji}')
  async listReactionUsers(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
    @Path() emoji: string,
    @Query() after?: UserId,
    @Query() limit = 25,
  ): Promise<ReactionUserView[]> {
    return this.services.reactions.users(
      principalOf(req),
      channelId,
      messageId,
      emoji,
      after,
      limit,
    );
  }

  /**
   * Removes every reaction with the emoji; MANAGE_MESSAGES.
   * @param emoji one URL-encoded Unicode emoji
   */
  @Delete('{channelId}/messages/{messageId}/reactions/{emoji}')
  @SuccessResponse(204, 'Cleared')
  async clearEmojiReactions(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
    @Path() emoji: string,
  ): Promise<void> {
    await this.services.reactions.clear(principalOf(req), channelId, messageId, emoji);
    this.setStatus(204);
  }

  /** Removes every reaction of the message; MANAGE_MESSAGES. */
  @Delete('{channelId}/messages/{messageId}/reactions')
  @SuccessResponse(204, 'Cleared')
  async clearReactions(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
  ): Promise<void> {
    await this.services.reactions.clear(principalOf(req), channelId, messageId);
    this.setStatus(204);
  }
}
