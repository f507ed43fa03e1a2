import 'reflect-metadata';
import { join } from 'node:path';
import { postgresDataSource, type DatabaseOptions } from '@echopulse/service-kit/db';
import type { DataSource } from 'typeorm';
import { BanEntity } from '../bans/ban.entity';
import { ChannelEntity, OverwriteEntity } from '../channels/channel.entity';
import { GuildEntity } from '../guilds/guild.entity';
import { InviteEntity } from '../invites/invite.entity';
import { MemberEntity, MemberRoleEntity } from '../members/member.entity';
import { RoleEntity } from '../roles/role.entity';
import { UserEntity } from '../users/user.entity';

export const entities = [
  UserEntity,
  GuildEntity,
  RoleEntity,
  MemberEntity,
  MemberRoleEntity,
  ChannelEntity,
  OverwriteEntity,
  InviteEntity,
  BanEntity,
];

/**
 * Every migration file beside this one (`<epoch-ms>-PascalName`), from sources under ts-node/jest
 * and from dist/ when built; TypeORM orders them by the timestamp in their class name.
 */
const migrationsGlob = join(
  __dirname,
  'migrations',
  __filename.endsWith('.ts') ? '*-*.ts' : '*-*.js',
);

export { pgClientConfig, type DatabaseOptions } from '@echopulse/service-kit/db';

/** The TypeORM data source of server-service's entities and migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return postgresDataSource(options, { entities, migrations: [migrationsGlob] });
}
