import type { Principal } from '@echopulse/service-kit';
import { authenticateRequest } from '@echopulse/service-kit/http';
import type { Request as KoaRequest } from 'koa';
import { servicesOf } from './services';

/** tsoa's authentication hook for `@Security('keycloak')` (audience chat-service). */
export function koaAuthentication(request: KoaRequest, securityName: string): Promise<Principal> {
  return authenticateRequest(request, securityName, servicesOf(request).verifier);
}
