import type { Pinia } from 'pinia';
import { Permissions, type PermissionName } from '../lib/permissions';
import type { Channel, Member, Role } from '../lib/types';
import { useAuthStore } from '../stores/use-auth-store';
import { useChannelsStore } from '../stores/use-channels-store';
import { useGuildsStore } from '../stores/use-guilds-store';
import { useMembersStore } from '../stores/use-members-store';
import { ALICE, channel, guild, member, role } from './factories';

export const OWNER = 'user-owner';

export const bits = (...names: PermissionName[]): bigint =>
  names.reduce((all, name) => all | Permissions[name], 0n);

/**
 * Guild g1 (owned by someone else) as the stores hold it after loading, seen by `me` (alice): the
 * @everyone role (id g1) has `everyone`; `roles` and `members` come on top, and `channels` (c1
 * `#general` by default). For component tests, which decide what to show from these stores.
 */
export function seedGuild(
  pinia: Pinia,
  options: {
    everyone?: bigint;
    roles?: Role[];
    members?: Member[];
    channels?: Channel[];
    me?: string;
  } = {},
): void {
  const me = options.me ?? ALICE;
  useAuthStore(pinia).$patch({
    status: 'authenticated',
    accessToken: 'token',
    userId: me,
    username: me.replace('user-', ''),
  });
  const guilds = useGuildsStore(pinia);
  guilds.guilds = [guild({ ownerId: OWNER })];
  guilds.rolesByGuild.g1 = [
    role('g1', options.everyone ?? bits('VIEW_CHANNEL', 'SEND_MESSAGES', 'READ_MESSAGE_HISTORY'), {
      name: '@everyone',
      position: 0,
    }),
    ...(options.roles ?? []),
  ];
  useMembersStore(pinia).byGuild.g1 = options.members ?? [member(me), member(OWNER)];
  useChannelsStore(pinia).byGuild.g1 = options.channels ?? [channel()];
}
