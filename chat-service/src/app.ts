import 'reflect-metadata';
import type { JwtVerifier, Logger } from '@echopulse/service-kit';
import { createServiceApp, type HealthCheck } from '@echopulse/service-kit/http';
import { join } from 'node:path';
import type Koa from 'koa';
import type { AccessService } from './access';
import type { Config } from './config';
import { RegisterRoutes } from './generated/routes';
import type { HistoryReader } from './history/history.reader';
import type { RequestState, Services } from './http/services';
import type { PresenceService } from './presence/presence.service';
import type { ReactionService } from './reactions/reaction.service';
import type { ReadStateRepository } from './read-states/read-state.repository';

/** The spec tsoa generates at build time (checked in, checked fresh by the tests). */
export const specPath = join(__dirname, '../../openapi/chat-service.json');

export interface AppDependencies {
  config: Pick<Config, 'KEYCLOAK_ISSUER' | 'KEYCLOAK_PUBLIC_ISSUER' | 'KEYCLOAK_DOCS_CLIENT_ID'>;
  logger: Logger;
  verifier: JwtVerifier;
  access: AccessService;
  history: HistoryReader;
  reactions: ReactionService;
  readStates: ReadStateRepository;
  presence: PresenceService;
  healthChecks: Record<string, HealthCheck>;
  isShuttingDown: () => boolean;
}

/**
 * The Koa app, not listening (the STOMP endpoint shares its server): request id → problem+json
 * errors → JSON body → health, docs and the tsoa-generated `/api` routes → 404.
 */
export function createApp(deps: AppDependencies): Koa<RequestState> {
  const services: Services = {
    verifier: deps.verifier,
    access: deps.access,
    history: deps.history,
    reactions: deps.reactions,
    readStates: deps.readStates,
    presence: deps.presence,
  };
  return createServiceApp({
    logger: deps.logger,
    services,
    healthChecks: deps.healthChecks,
    isShuttingDown: deps.isShuttingDown,
    docs: {
      specPath,
      title: 'EchoPulse chat-service API',
      publicIssuer: deps.config.KEYCLOAK_PUBLIC_ISSUER ?? deps.config.KEYCLOAK_ISSUER,
      clientId: deps.config.KEYCLOAK_DOCS_CLIENT_ID,
    },
    registerRoutes: RegisterRoutes,
  });
}
