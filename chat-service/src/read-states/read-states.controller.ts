import { Permissions, hasPermission } from '@echopulse/guild-contracts';
import { Controller, Get, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { ProblemDocument } from '../http/problem.types';
import { principalOf, type Services } from '../http/services';

/** One channel's read position for the caller. */
export interface ReadStateView {
  channelId: string;
  guildId: string;
  /** The last seq the caller marked read (`SEND /app/channels/{id}/read`); 0 for none. */
  lastReadSeq: number;
  /** The channel's newest seq; 0 when empty. */
  lastSeq: number;
  /** Others' messages after lastReadSeq, not deleted (counted up to 1000). */
  unreadCount: number;
  /** Of those, the ones mentioning the caller or @everyone (up to 1000). */
  mentionCount: number;
}

@Route('users')
@Tags('Read states')
@Security('keycloak')
@Response<ProblemDocument>(
  403,
  'The token lacks the realm role "user"',
  undefined,
  'application/problem+json',
)
export class ReadStatesController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** Read positions and unread/mention counts of every text channel the caller can see. */
  @Get('@me/read-states')
  async listMyReadStates(@Request() req: KoaRequest): Promise<ReadStateView[]> {
    const principal = principalOf(req);
    const states = await this.services.readStates.list(principal.id);
    const visible = await Promise.all(
      states.map(async (s) => {
        const grant = await this.services.access.channel(principal, s.channelId);
        return !!grant && hasPermission(grant.permissions, Permissions.VIEW_CHANNEL);
      }),
    );
    return states.filter((_, i) => visible[i]);
  }
}
