import type { Principal } from '@echopulse/service-kit';
import type { Database } from '../db/database';

/**
 * Keeps the users table in step with Keycloak: a user is recorded on first sight and their names
 * updated when a token shows new ones. A small in-memory map skips the write for names already
 * seen, so steady traffic costs no database round trip.
 */
export class UserService {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 10_000,
  ) {}

  async remember(principal: Principal): Promise<void> {
    const fingerprint = `${principal.username}\u0000${principal.displayName}`;
    if (this.seen.get(principal.id) === fingerprint) return;
    await this.db.read((r) =>
      r.users.upsert({
        id: principal.id,
        username: principal.username,
        displayName: principal.displayName,
      }),
    );
    if (this.seen.size >= this.capacity) this.seen.clear();
    this.seen.set(principal.id, fingerprint);
  }
}
