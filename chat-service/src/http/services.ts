import type { JwtVerifier, Principal } from '@echopulse/service-kit';
import type { Request as KoaRequest } from 'koa';
import type { AccessService } from '../access';
import type { HistoryReader } from '../history/history.reader';
import type { PresenceService } from '../presence/presence.service';
import type { ReadStateRepository } from '../read-states/read-state.repository';

/** Everything the HTTP layer calls; one set per app, reachable from each request's state. */
export interface Services {
  verifier: JwtVerifier;
  access: AccessService;
  history: HistoryReader;
  readStates: ReadStateRepository;
  presence: PresenceService;
}

/** The state each request carries (Koa's ctx.state). */
export interface RequestState {
  services: Services;
  requestId: string;
}

/** The principal tsoa's authentication put on the request. */
export function principalOf(request: KoaRequest): Principal {
  const user = (request as KoaRequest & { user?: Principal }).user;
  if (!user) throw new Error('route without @Security reached a principal lookup');
  return user;
}

export function servicesOf(request: KoaRequest): Services {
  return (request.ctx.state as RequestState).services;
}
