import {
  ALL_PERMISSIONS,
  Permissions,
  guildPermissions,
  has,
  namesOf,
  parseBits,
} from './permissions';

describe('permissions', () => {
  const guild = { id: 'g', ownerId: 'owner' };
  const roles = [
    {
      id: 'g',
      guildId: 'g',
      name: '@everyone',
      color: 0,
      position: 0,
      permissions: String(Permissions.VIEW_CHANNEL),
      mentionable: false,
    },
  ];

  it('gives the owner and member realm admins everything', () => {
    expect(
      guildPermissions({ guild, userId: 'owner', member: undefined, roles, realmRoles: [] }),
    ).toBe(ALL_PERMISSIONS);
    expect(
      guildPermissions({
        guild,
        userId: 'x',
        member: { roleIds: [] },
        roles,
        realmRoles: ['admin'],
      }),
    ).toBe(ALL_PERMISSIONS);
  });

  it('gives realm staff who are no member moderation, never sending or inviting', () => {
    const admin = guildPermissions({
      guild,
      userId: 'x',
      member: undefined,
      roles,
      realmRoles: ['admin'],
    });
    expect(has(admin, 'MANAGE_GUILD')).toBe(true);
    expect([has(admin, 'SEND_MESSAGES'), has(admin, 'CREATE_INSTANT_INVITE')]).toEqual([
      false,
      false,
    ]);
    const mod = guildPermissions({
      guild,
      userId: 'x',
      member: undefined,
      roles,
      realmRoles: ['moderator'],
    });
    expect(namesOf(mod)).toEqual([
      'KICK_MEMBERS',
      'BAN_MEMBERS',
      'VIEW_CHANNEL',
      'MANAGE_MESSAGES',
      'READ_MESSAGE_HISTORY',
    ]);
  });

  it('adds realm moderator powers to @everyone', () => {
    const bits = guildPermissions({
      guild,
      userId: 'x',
      member: { roleIds: [] },
      roles,
      realmRoles: ['moderator'],
    });
    expect(namesOf(bits)).toEqual([
      'KICK_MEMBERS',
      'BAN_MEMBERS',
      'VIEW_CHANNEL',
      'MANAGE_MESSAGES',
      'READ_MESSAGE_HISTORY',
    ]);
  });

  it('reads bitfields as decimal strings and treats ADMINISTRATOR as all', () => {
    expect(parseBits('3072')).toBe(Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES);
    expect(parseBits('nope')).toBe(0n);
    expect(has(Permissions.ADMINISTRATOR, 'MANAGE_ROLES')).toBe(true);
  });
});
