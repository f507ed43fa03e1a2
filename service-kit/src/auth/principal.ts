/** Realm roles of the Keycloak realm that mean something to EchoPulse (see keycloak/README.md). */
export type RealmRole = 'user' | 'moderator' | 'admin';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** Keycloak's stable user id (`sub`). */
  id: string;
  username: string;
  displayName: string;
  email?: string;
  /** Every realm role of the token, EchoPulse's and Keycloak's own. */
  roles: string[];
  /** When the access token stops being valid. */
  expiresAt: Date;
}

export const hasRole = (principal: Principal, role: RealmRole): boolean =>
  principal.roles.includes(role);
