import type { EntityManager } from 'typeorm';
import { UserEntity } from './user.entity';

export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
}

/** The users table: Keycloak users as last seen in their tokens. */
export class UserRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Inserts the user, or updates the names when they changed; never rewrites an unchanged row. */
  async upsert(user: UserProfile): Promise<void> {
    await this.manager.query(
      `INSERT INTO users (id, username, display_name) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username,
         display_name = EXCLUDED.display_name, updated_at = now()
       WHERE users.username IS DISTINCT FROM EXCLUDED.username
          OR users.display_name IS DISTINCT FROM EXCLUDED.display_name`,
      [user.id, user.username, user.displayName],
    );
  }

  find(id: string): Promise<UserEntity | null> {
    return this.manager.findOneBy(UserEntity, { id });
  }
}
