import type { ChatMessage, MessageWithReactions, ReactionCount } from '@echopulse/chat-contracts';
import { Permissions, hasPermission } from '@echopulse/guild-contracts';
import { ForbiddenError, NotFoundError, BadRequestError } from '@echopulse/service-kit';
import {
  Controller,
  Get,
  Path,
  Query,
  Request,
  Response,
  Route,
  Security,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { Snowflake } from '../http/common-responses';
import type { ProblemDocument } from '../http/problem.types';
import { principalOf, type Services } from '../http/services';

/** A message as clients see it (also the body of MESSAGE frames on /topic/channels/{id}). */
export interface MessageView {
  id: string;
  /** Per channel, strictly increasing, gap-free. */
  seq: number;
  channelId: string;
  guildId: string;
  author: { id: string; username: string };
  /** Empty once deleted. */
  content: string;
  mentions: { users: string[]; everyone: boolean };
  createdAt: string;
  editedAt?: string;
  replyTo?: string;
  /** Set once deleted; the message stays so that seq has no gaps. */
  deletedAt?: string;
}

/** One emoji's reactions on a message, for the reading user. */
export interface ReactionCountView {
  emoji: string;
  count: number;
  /** The reading user reacted with it. */
  me: boolean;
}

/** A message of the history, replay or GET one message: with its reactions (none once deleted). */
export interface HistoryMessageView extends MessageView {
  reactions: ReactionCountView[];
}

// tsoa writes these views into openapi/chat-service.json (with their comments), so they stay
// here; they must be exactly chat-contracts' types of the same message over STOMP, or this fails
// to compile.
// identical types (optional keys included), not merely assignable both ways
type Exact<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const viewsAreContracts: [
  Exact<MessageView, ChatMessage>,
  Exact<ReactionCountView, ReactionCount>,
  Exact<HistoryMessageView, MessageWithReactions>,
] = [true, true, true];
void viewsAreContracts;

@Route('channels')
@Tags('Messages')
@Security('keycloak')
@Response<ProblemDocument>(400, 'Invalid query parameters', undefined, 'application/problem+json')
@Response<ProblemDocument>(
  403,
  'No READ_MESSAGE_HISTORY in the channel, or no realm role "user"',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  404,
  'No such channel, or it is not visible to the caller',
  undefined,
  'application/problem+json',
)
export class HistoryController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * A page of the channel's messages by seq, oldest first: the newest ones, or those before,
   * after or around a seq (at most one of the three). Served from Redis when it holds the
   * range, from the Postgres archive otherwise. Needs VIEW_CHANNEL and READ_MESSAGE_HISTORY.
   *
   * Seqs are whole numbers up to 9007199254740991 (2^53 − 1, the largest a JSON number carries
   * exactly); anything out of range is refused with 400 validation_failed before any lookup.
   * @param before messages with a smaller seq (1–9007199254740991)
   * @param after messages with a greater seq (0–9007199254740991)
   * @param around messages centred on this seq (1–9007199254740991)
   * @param limit page size, 1–100 (default 50)
   * @isLong before
   * @minimum before 1
   * @maximum before 9007199254740991
   * @isLong after
   * @minimum after 0
   * @maximum after 9007199254740991
   * @isLong around
   * @minimum around 1
   * @maximum around 9007199254740991
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get('{channelId}/messages')
  async listMessages(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Query() before?: number,
    @Query() after?: number,
    @Query() around?: number,
    @Query() limit = 50,
  ): Promise<HistoryMessageView[]> {
    const given = [before, after, around].filter((v) => v !== undefined).length;
    if (given > 1) {
      throw new BadRequestError('Give at most one of before, after and around.');
    }
    const grant = await this.services.access.channel(principalOf(req), channelId);
    if (!grant || !hasPermission(grant.permissions, Permissions.VIEW_CHANNEL)) {
      throw new NotFoundError('Channel', 'unknown_channel');
    }
    if (!hasPermission(grant.permissions, Permissions.READ_MESSAGE_HISTORY)) {
      throw new ForbiddenError(
        'You may not read the history of this channel.',
        'missing_permission',
      );
    }
    const page = await this.services.history.read(channelId, {
      limit,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      ...(around !== undefined ? { around } : {}),
    });
    return this.services.reactions.attach(channelId, page, principalOf(req).id);
  }

  /**
   * One message in the history's shape, deleted ones included (content empty, `deletedAt`
   * set), as Discord's "get channel message". Needs VIEW_CHANNEL and READ_MESSAGE_HISTORY.
   */
  @Get('{channelId}/messages/{messageId}')
  @Response<ProblemDocument>(
    404,
    'No such channel (or not visible to the caller), or no such message in it',
    undefined,
    'application/problem+json',
  )
  async getMessage(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() messageId: Snowflake,
  ): Promise<HistoryMessageView> {
    return this.services.reactions.one(principalOf(req), channelId, messageId);
  }
}
