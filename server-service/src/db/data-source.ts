import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
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

export interface DatabaseOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize: number;
  /** Schema of every table; the connections' search_path, so raw SQL finds the tables too. */
  schema: string;
}

/** pg connection settings for clients outside TypeORM's pool (e.g. the outbox relay). */
export function pgClientConfig(options: DatabaseOptions) {
  return {
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    options: `-c search_path=${options.schema}`,
  };
}

/** The TypeORM data source: schema by migrations only, never `synchronize`. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    host: options.host,
    port: options.port,
    username: options.username,
    password: options.password,
    database: options.database,
    entities,
    migrations: [migrationsGlob],
    migrationsTableName: 'migrations',
    synchronize: false,
    schema: options.schema,
    poolSize: options.poolSize,
    extra: { connectionTimeoutMillis: 5000, options: `-c search_path=${options.schema}` },
  });
}
