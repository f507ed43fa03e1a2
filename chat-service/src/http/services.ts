import type { JwtVerifier } from '@echopulse/service-kit';
export { principalOf } from '@echopulse/service-kit/http';
import type { Request as KoaRequest } from 'koa';
import type { AccessService } from '../access';
import type { HistoryReader } from '../history/history.reader';
import type { PresenceService } from '../presence/presence.service';
import type { ReactionService } from '../reactions/reaction.service';
import type { ReadStateRepository } from '../read-states/read-state.repository';

/** Everything the HTTP layer calls; one set per app, reachable from each request's state. */
export interface Services {
  verifier: JwtVerifier;
  access: AccessService;
  history: HistoryReader;
  reactions: ReactionService;
  readStates: ReadStateRepository;
  presence: PresenceService;
}

/** The state each request carries (Koa's ctx.state). */
export interface RequestState {
  services: Services;
  requestId: string;
}

export function servicesOf(request: KoaRequest): Services {
  return (request.ctx.state as RequestState).services;
}
