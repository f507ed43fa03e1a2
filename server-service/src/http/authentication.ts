import type { Principal } from '@echopulse/service-kit';
import { authenticateRequest } from '@echopulse/service-kit/http';
import type { Request as KoaRequest } from 'koa';
import { servicesOf } from './services';

/**
 * tsoa's authentication hook for `@Security('keycloak')` (audience server-service); records the
 * user on first sight so lists can show names.
 */
export async function koaAuthentication(
  request: KoaRequest,
  securityName: string,
): Promise<Principal> {
  const services = servicesOf(request);
  const principal = await authenticateRequest(request, securityName, services.verifier);
  await services.users.remember(principal);
  return principal;
}
