export { jestSetupFor, startedByThisRun } from './jest-setup';
export { default as jestTeardown } from './jest-teardown';
export { passwordGrant, accessToken } from './tokens';
export type { DevUser, TokenResponse } from './tokens';
export { databaseForSuite } from './database';
export { waitFor } from './wait-for';
export type { NotYet } from './wait-for';
export {
  createThrowawayUser,
  keycloakAdminToken,
  KeycloakAdminError,
  policyPassword,
} from './keycloak-admin';
export type { ThrowawayUser } from './keycloak-admin';
