import {
  ALL_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  InvalidPermissionsError,
  PERMISSION_NAMES,
  Permissions,
  REALM_ADMIN_OUTSIDER_PERMISSIONS,
  REALM_MODERATOR_PERMISSIONS,
  actsAsOwner,
  canAccessGuild,
  canActOnMember,
  canGrantPermissions,
  canManageRole,
  canSetRolePosition,
  computeBasePermissions,
  computeChannelPermissions,
  hasPermission,
  highestRolePosition,
  parsePermissions,
  permissionNames,
  permissionsOf,
  serializePermissions,
  type MemberAction,
  type OverwriteInput,
  type PermissionContext,
  type RoleInput,
} from './permissions';

const P = Permissions;
const GUILD = '100';
const OWNER = 'owner-user';

/** The fixture guild's roles, from the bottom of the hierarchy to the top. */
const role = {
  everyone: { id: GUILD, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS },
  helper: { id: '201', position: 1, permissions: P.MANAGE_ROLES },
  muted: { id: '202', position: 2, permissions: 0n },
  mods: { id: '203', position: 3, permissions: P.KICK_MEMBERS | P.BAN_MEMBERS | P.MANAGE_MESSAGES },
  managers: { id: '204', position: 4, permissions: P.MANAGE_ROLES | P.KICK_MEMBERS },
  admins: { id: '205', position: 5, permissions: P.ADMINISTRATOR },
} satisfies Record<string, RoleInput>;
const roles: RoleInput[] = Object.values(role);

/** A member of the fixture guild. */
function ctx(userId: string, roleIds: string[] = [], realmRoles?: string[]): PermissionContext {
  return {
    guild: { id: GUILD, ownerId: OWNER },
    roles,
    member: { userId, roleIds },
    realmRoles,
    isMember: true,
    banned: false,
  };
}
/** Someone who is no member of the fixture guild (nor banned from it), with these realm roles. */
const outsider = (userId: string, realmRoles: string[]): PermissionContext => ({
  ...ctx(userId, [], realmRoles),
  isMember: false,
});
/** Someone the fixture guild has banned (and so no member), with these realm roles. */
const bannedCtx = (userId: string, realmRoles: string[]): PermissionContext => ({
  ...outsider(userId, realmRoles),
  banned: true,
});
const everyoneOverwrite = (allow: bigint, deny: bigint): OverwriteInput => ({
  id: GUILD,
  type: 'role',
  allow,
  deny,
});
const roleOverwrite = (r: RoleInput, allow: bigint, deny: bigint): OverwriteInput => ({
  id: r.id,
  type: 'role',
  allow,
  deny,
});
const memberOverwrite = (userId: string, allow: bigint, deny: bigint): OverwriteInput => ({
  id: userId,
  type: 'member',
  allow,
  deny,
});

describe('permission bits', () => {
  it("uses Discord's bit values", () => {
    expect(Object.fromEntries(PERMISSION_NAMES.map((n) => [n, Permissions[n].toString()]))).toEqual(
      {
        CREATE_INSTANT_INVITE: '1',
        KICK_MEMBERS: '2',
        BAN_MEMBERS: '4',
        ADMINISTRATOR: '8',
        MANAGE_CHANNELS: '16',
        MANAGE_GUILD: '32',
        ADD_REACTIONS: '64',
        VIEW_CHANNEL: '1024',
        SEND_MESSAGES: '2048',
        MANAGE_MESSAGES: '8192',
        READ_MESSAGE_HISTORY: '65536',
        MENTION_EVERYONE: '131072',
        MANAGE_ROLES: '268435456',
      },
    );
    expect(ALL_PERMISSIONS).toBe(268643455n);
  });

  it('gives @everyone view, send, history, reactions and invite by default, not mention-everyone', () => {
    expect(permissionNames(DEFAULT_EVERYONE_PERMISSIONS)).toEqual([
      'CREATE_INSTANT_INVITE',
      'ADD_REACTIONS',
      'VIEW_CHANNEL',
      'SEND_MESSAGES',
      'READ_MESSAGE_HISTORY',
    ]);
    expect(permissionsOf('VIEW_CHANNEL', 'SEND_MESSAGES')).toBe(3072n);
  });
});

describe('serializePermissions / parsePermissions', () => {
  it.each([
    ['nothing', 0n],
    ['everything', ALL_PERMISSIONS],
    ['the @everyone default', DEFAULT_EVERYONE_PERMISSIONS],
    ...PERMISSION_NAMES.map((name) => [name, Permissions[name]] as [string, bigint]),
  ])('round-trips %s', (_name, bits) => {
    const text = serializePermissions(bits);
    expect(text).toMatch(/^(0|[1-9][0-9]*)$/);
    expect(parsePermissions(text)).toBe(bits);
  });

  it.each([
    ['empty', ''],
    ['a space', ' 1024'],
    ['a sign', '+1024'],
    ['negative', '-1'],
    ['a leading zero', '01024'],
    ['a fraction', '1024.0'],
    ['hex', '0x400'],
    ['words', 'VIEW_CHANNEL'],
    ['an unknown bit (1 << 7)', '128'],
    ['a known and an unknown bit', String(P.VIEW_CHANNEL | (1n << 40n))],
    ['more than 64 bits', (1n << 70n).toString()],
    ['21 digits', '100000000000000000000'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePermissions(text)).toThrow(InvalidPermissionsError);
  });

  it('refuses a non-string at run time', () => {
    expect(() => parsePermissions(1024 as unknown as string)).toThrow(InvalidPermissionsError);
  });

  it('refuses to serialize unknown bits or negative numbers', () => {
    expect(() => serializePermissions(1n << 7n)).toThrow(InvalidPermissionsError);
    expect(() => serializePermissions(-1n)).toThrow(InvalidPermissionsError);
  });

  it('is a 400 invalid_permissions AppError, for problem+json', () => {
    const error = (() => {
      try {
        parsePermissions('x');
      } catch (e) {
        return e as InvalidPermissionsError;
      }
    })();
    expect(error).toMatchObject({ status: 400, code: 'invalid_permissions' });
    expect(error?.message).toContain('"x"');
  });
});

describe('computeBasePermissions', () => {
  it.each<[string, PermissionContext, bigint]>([
    ['the owner gets everything, holding no role', ctx(OWNER), ALL_PERMISSIONS],
    ['realm admin gets everything', ctx('u', [], ['user', 'admin']), ALL_PERMISSIONS],
    ['a plain member gets @everyone', ctx('u'), DEFAULT_EVERYONE_PERMISSIONS],
    [
      '@everyone OR the member roles',
      ctx('u', [role.mods.id, role.helper.id]),
      DEFAULT_EVERYONE_PERMISSIONS | role.mods.permissions | P.MANAGE_ROLES,
    ],
    ['an ADMINISTRATOR role gives everything', ctx('u', [role.admins.id]), ALL_PERMISSIONS],
    [
      'realm moderator adds kick, ban, manage messages, view and history',
      ctx('u', [], ['user', 'moderator']),
      DEFAULT_EVERYONE_PERMISSIONS | REALM_MODERATOR_PERMISSIONS,
    ],
    ['realm user adds nothing', ctx('u', [], ['user']), DEFAULT_EVERYONE_PERMISSIONS],
    [
      'unknown role ids and a listed @everyone are ignored',
      ctx('u', ['999', GUILD, role.muted.id]),
      DEFAULT_EVERYONE_PERMISSIONS,
    ],
  ])('%s', (_case, context, expected) => {
    expect(permissionNames(computeBasePermissions(context))).toEqual(permissionNames(expected));
    expect(computeBasePermissions(context)).toBe(expected);
  });

  it('gives nothing when @everyone grants nothing and the member has no role', () => {
    const bare: PermissionContext = {
      ...ctx('u'),
      roles: [{ ...role.everyone, permissions: 0n }, role.mods],
    };
    expect(computeBasePermissions(bare)).toBe(0n);
  });

  it('drops bits it does not know from stored role permissions', () => {
    const odd: PermissionContext = {
      ...ctx('u'),
      roles: [{ ...role.everyone, permissions: P.VIEW_CHANNEL | (1n << 40n) }],
    };
    expect(computeBasePermissions(odd)).toBe(P.VIEW_CHANNEL);
  });
});

describe('computeChannelPermissions', () => {
  const base = DEFAULT_EVERYONE_PERMISSIONS;
  const view = P.VIEW_CHANNEL;
  const send = P.SEND_MESSAGES;
  const mention = P.MENTION_EVERYONE;
  const history = P.READ_MESSAGE_HISTORY;

  it.each<[string, PermissionContext, OverwriteInput[], bigint]>([
    ['no overwrites: the base permissions', ctx('u'), [], base],
    ['@everyone overwrite denies send', ctx('u'), [everyoneOverwrite(0n, send)], base & ~send],
    [
      '@everyone overwrite allows mention-everyone',
      ctx('u'),
      [everyoneOverwrite(mention, 0n)],
      base | mention,
    ],
    [
      'a role deny beats the @everyone allow',
      ctx('u', [role.muted.id]),
      [everyoneOverwrite(mention, 0n), roleOverwrite(role.muted, 0n, send | mention)],
      base & ~send,
    ],
    [
      'a role allow beats the @everyone deny',
      ctx('u', [role.mods.id]),
      [everyoneOverwrite(0n, send), roleOverwrite(role.mods, send, 0n)],
      base | role.mods.permissions,
    ],
    [
      'among roles an allow wins over a deny, whatever the order',
      ctx('u', [role.muted.id, role.mods.id]),
      [roleOverwrite(role.muted, 0n, send), roleOverwrite(role.mods, send, 0n)],
      base | role.mods.permissions,
    ],
    [
      'among roles an allow wins over a deny (the other order)',
      ctx('u', [role.mods.id, role.muted.id]),
      [roleOverwrite(role.mods, send, 0n), roleOverwrite(role.muted, 0n, send)],
      base | role.mods.permissions,
    ],
    [
      'denies of several roles add up',
      ctx('u', [role.muted.id, role.helper.id]),
      [roleOverwrite(role.muted, 0n, send), roleOverwrite(role.helper, 0n, history)],
      (base | P.MANAGE_ROLES) & ~send & ~history,
    ],
    [
      'the member overwrite comes last and wins over a role allow',
      ctx('u', [role.mods.id]),
      [roleOverwrite(role.mods, send, 0n), memberOverwrite('u', 0n, send)],
      (base | role.mods.permissions) & ~send,
    ],
    [
      'the member overwrite gives back what @everyone and a role took',
      ctx('u', [role.muted.id]),
      [
        everyoneOverwrite(0n, view),
        roleOverwrite(role.muted, 0n, send),
        memberOverwrite('u', view | send, 0n),
      ],
      base,
    ],
    [
      "another member's overwrite and a role the member lacks are ignored",
      ctx('u'),
      [memberOverwrite('someone-else', 0n, send), roleOverwrite(role.muted, 0n, send)],
      base,
    ],
    [
      'a role overwrite with the id of a user is not a member overwrite',
      ctx('u'),
      [{ id: 'u', type: 'role', allow: 0n, deny: send }],
      base,
    ],
    [
      'without VIEW_CHANNEL nothing else is left',
      ctx('u', [role.mods.id]),
      [everyoneOverwrite(send | mention, view)],
      0n,
    ],
    [
      'a role deny of VIEW_CHANNEL hides the channel even with explicit allows',
      ctx('u', [role.muted.id]),
      [roleOverwrite(role.muted, send, view)],
      0n,
    ],
    [
      'without SEND_MESSAGES mention-everyone is dropped',
      ctx('u'),
      [everyoneOverwrite(mention, send)],
      base & ~send,
    ],
    [
      'the owner bypasses every overwrite',
      ctx(OWNER),
      [everyoneOverwrite(0n, ALL_PERMISSIONS), memberOverwrite(OWNER, 0n, ALL_PERMISSIONS)],
      ALL_PERMISSIONS,
    ],
    [
      'an ADMINISTRATOR role bypasses every overwrite',
      ctx('u', [role.admins.id]),
      [
        everyoneOverwrite(0n, view),
        roleOverwrite(role.admins, 0n, view),
        memberOverwrite('u', 0n, view),
      ],
      ALL_PERMISSIONS,
    ],
    [
      'realm admin bypasses every overwrite',
      ctx('u', [], ['admin']),
      [memberOverwrite('u', 0n, ALL_PERMISSIONS)],
      ALL_PERMISSIONS,
    ],
    [
      'an overwrite cannot grant ADMINISTRATOR-style bypass in one channel',
      ctx('u'),
      [memberOverwrite('u', P.ADMINISTRATOR, view)],
      0n,
    ],
    [
      'realm moderator keeps view, history and moderation through any overwrite, but not send',
      ctx('mod', [], ['user', 'moderator']),
      [everyoneOverwrite(0n, ALL_PERMISSIONS), memberOverwrite('mod', 0n, ALL_PERMISSIONS)],
      REALM_MODERATOR_PERMISSIONS,
    ],
  ])('%s', (_case, context, overwrites, expected) => {
    const actual = computeChannelPermissions(context, overwrites);
    expect(permissionNames(actual)).toEqual(permissionNames(expected));
    expect(actual).toBe(expected);
  });
});

describe('hasPermission', () => {
  it.each<[string, bigint, bigint, boolean]>([
    ['a granted bit', DEFAULT_EVERYONE_PERMISSIONS, P.SEND_MESSAGES, true],
    ['a missing bit', DEFAULT_EVERYONE_PERMISSIONS, P.KICK_MEMBERS, false],
    [
      'several bits, all granted',
      ALL_PERMISSIONS & ~P.ADMINISTRATOR,
      P.KICK_MEMBERS | P.BAN_MEMBERS,
      true,
    ],
    ['several bits, one missing', P.KICK_MEMBERS, P.KICK_MEMBERS | P.BAN_MEMBERS, false],
    ['ADMINISTRATOR implies everything', P.ADMINISTRATOR, P.MANAGE_ROLES | P.BAN_MEMBERS, true],
    ['nothing grants nothing', 0n, P.VIEW_CHANNEL, false],
  ])('%s', (_case, permissions, flag, expected) => {
    expect(hasPermission(permissions, flag)).toBe(expected);
  });
});

describe('role hierarchy', () => {
  it.each<[string, PermissionContext, number]>([
    ['owner', ctx(OWNER), Infinity],
    ['realm admin, as owner', ctx('u', [], ['admin']), Infinity],
    ['a plain member (@everyone)', ctx('u'), 0],
    [
      'the highest of several roles',
      ctx('u', [role.helper.id, role.managers.id, role.muted.id]),
      4,
    ],
    ['realm moderator is not lifted', ctx('u', [role.helper.id], ['moderator']), 1],
  ])('highestRolePosition: %s', (_case, context, expected) => {
    expect(highestRolePosition(context)).toBe(expected);
  });

  it.each<[string, PermissionContext, RoleInput, boolean]>([
    ['MANAGE_ROLES above the role', ctx('u', [role.managers.id]), role.mods, true],
    ['MANAGE_ROLES well above the role', ctx('u', [role.managers.id]), role.helper, true],
    [
      'MANAGE_ROLES at an equal position (its own role)',
      ctx('u', [role.managers.id]),
      role.managers,
      false,
    ],
    ['MANAGE_ROLES below the role', ctx('u', [role.helper.id]), role.muted, false],
    ['above the role without MANAGE_ROLES', ctx('u', [role.mods.id]), role.muted, false],
    ['ADMINISTRATOR does not lift the hierarchy', ctx('u', [role.admins.id]), role.admins, false],
    ['ADMINISTRATOR manages roles below', ctx('u', [role.admins.id]), role.managers, true],
    ['the owner manages any role', ctx(OWNER), role.admins, true],
    ['realm admin manages any role', ctx('u', [], ['admin']), role.admins, true],
    ['realm moderator does not manage roles', ctx('u', [], ['moderator']), role.muted, false],
    ['@everyone with MANAGE_ROLES', ctx('u', [role.helper.id]), role.everyone, true],
    ['@everyone without MANAGE_ROLES', ctx('u', [role.mods.id]), role.everyone, false],
  ])('canManageRole: %s', (_case, context, target, expected) => {
    expect(canManageRole(context, target)).toBe(expected);
  });

  it.each<[string, PermissionContext, RoleInput, number, boolean]>([
    ['below oneself', ctx('u', [role.managers.id]), role.muted, 3, true],
    ['level with oneself', ctx('u', [role.managers.id]), role.muted, 4, false],
    ['above oneself', ctx('u', [role.managers.id]), role.muted, 6, false],
    ['to 0, where only @everyone lives', ctx(OWNER), role.muted, 0, false],
    ['a fraction', ctx(OWNER), role.muted, 1.5, false],
    ['anywhere, by the owner', ctx(OWNER), role.muted, 42, true],
    ['anywhere, by realm admin', ctx('u', [], ['admin']), role.admins, 42, true],
    ['@everyone, even by the owner', ctx(OWNER), role.everyone, 3, false],
    ['a role one cannot manage', ctx('u', [role.managers.id]), role.admins, 1, false],
  ])('canSetRolePosition: %s', (_case, context, target, position, expected) => {
    expect(canSetRolePosition(context, target, position)).toBe(expected);
  });

  it.each<[string, PermissionContext, bigint, boolean]>([
    ['what one has', ctx('u', [role.managers.id]), P.KICK_MEMBERS | P.VIEW_CHANNEL, true],
    ['what one lacks', ctx('u', [role.managers.id]), P.BAN_MEMBERS, false],
    ['anything, with ADMINISTRATOR', ctx('u', [role.admins.id]), ALL_PERMISSIONS, true],
    ['anything, as owner', ctx(OWNER), ALL_PERMISSIONS, true],
    ['not ADMINISTRATOR, as realm moderator', ctx('u', [], ['moderator']), P.ADMINISTRATOR, false],
  ])('canGrantPermissions: %s', (_case, context, permissions, expected) => {
    expect(canGrantPermissions(context, permissions)).toBe(expected);
  });

  const target = (userId: string, ...roleIds: string[]) => ({ userId, roleIds });
  it.each<
    [string, PermissionContext, { userId: string; roleIds: string[] }, MemberAction, boolean]
  >([
    [
      'a higher role over a lower one',
      ctx('a', [role.managers.id]),
      target('b', role.mods.id),
      'kick',
      true,
    ],
    ['a higher role over a plain member', ctx('a', [role.helper.id]), target('b'), 'ban', true],
    [
      'a lower role over a higher one',
      ctx('a', [role.mods.id]),
      target('b', role.managers.id),
      'kick',
      false,
    ],
    [
      'equal positions are refused',
      ctx('a', [role.mods.id]),
      target('b', role.mods.id),
      'kick',
      false,
    ],
    ['two plain members', ctx('a'), target('b'), 'nickname', false],
    [
      'only the highest role counts',
      ctx('a', [role.managers.id]),
      target('b', role.helper.id, role.admins.id),
      'roles',
      false,
    ],
    ['the owner over anyone', ctx(OWNER), target('b', role.admins.id), 'ban', true],
    [
      'nobody over the owner, not a top role',
      ctx('a', [role.admins.id]),
      target(OWNER),
      'kick',
      false,
    ],
    [
      'nobody over the owner, not realm admin',
      ctx('a', [], ['admin']),
      target(OWNER),
      'ban',
      false,
    ],
    [
      'nobody over the owner, not realm moderator',
      ctx('a', [], ['moderator']),
      target(OWNER),
      'kick',
      false,
    ],
    [
      'realm admin over anyone else',
      ctx('a', [], ['admin']),
      target('b', role.admins.id),
      'roles',
      true,
    ],
    [
      'realm moderator kicks a top role',
      ctx('a', [], ['moderator']),
      target('b', role.admins.id),
      'kick',
      true,
    ],
    [
      'realm moderator bans a top role',
      ctx('a', [], ['moderator']),
      target('b', role.admins.id),
      'ban',
      true,
    ],
    [
      'realm moderator renames only under the hierarchy',
      ctx('a', [], ['moderator']),
      target('b'),
      'nickname',
      false,
    ],
    [
      'realm moderator changes roles only under the hierarchy',
      ctx('a', [role.managers.id], ['moderator']),
      target('b', role.mods.id),
      'roles',
      true,
    ],
    ['not oneself', ctx('a', [role.admins.id]), target('a', role.admins.id), 'kick', false],
    ['not oneself, even as realm admin', ctx('a', [], ['admin']), target('a'), 'ban', false],
  ])('canActOnMember: %s', (_case, actor, victim, action, expected) => {
    expect(canActOnMember(actor, victim, action)).toBe(expected);
  });

  it('canActOnMember checks kick when no action is named', () => {
    expect(canActOnMember(ctx('a', [], ['moderator']), target('b', role.admins.id))).toBe(true);
    expect(canActOnMember(ctx('a', [role.mods.id]), target('b', role.managers.id))).toBe(false);
  });
});

describe('realm roles outside a guild, and guild bans', () => {
  const { SEND_MESSAGES, CREATE_INSTANT_INVITE, MENTION_EVERYONE, ADMINISTRATOR } = P;
  const speak = SEND_MESSAGES | CREATE_INSTANT_INVITE | MENTION_EVERYONE;
  const grantAll = [
    everyoneOverwrite(ALL_PERMISSIONS & ~ADMINISTRATOR, 0n),
    memberOverwrite('x', ALL_PERMISSIONS & ~ADMINISTRATOR, 0n),
  ];
  const denyAll = [
    everyoneOverwrite(0n, ALL_PERMISSIONS),
    memberOverwrite('x', 0n, ALL_PERMISSIONS),
  ];

  it('defines what a non-member realm admin keeps: administration, not speaking or inviting', () => {
    expect(permissionNames(REALM_ADMIN_OUTSIDER_PERMISSIONS)).toEqual([
      'KICK_MEMBERS',
      'BAN_MEMBERS',
      'MANAGE_CHANNELS',
      'MANAGE_GUILD',
      'VIEW_CHANNEL',
      'MANAGE_MESSAGES',
      'READ_MESSAGE_HISTORY',
      'MANAGE_ROLES',
    ]);
    expect(REALM_MODERATOR_PERMISSIONS & speak).toBe(0n);
  });

  it.each<[string, PermissionContext, boolean]>([
    ['a member', ctx('x'), true],
    [
      'the owner, even if the facts forget the membership',
      { ...outsider(OWNER, []), isMember: false },
      true,
    ],
    ['a non-member without realm role', outsider('x', ['user']), false],
    ['a non-member realm moderator', outsider('x', ['user', 'moderator']), true],
    ['a non-member realm admin', outsider('x', ['user', 'admin']), true],
    ['a banned realm moderator', bannedCtx('x', ['user', 'moderator']), false],
    ['a banned realm admin', bannedCtx('x', ['user', 'admin']), false],
    ['a banned user still listed as member', { ...ctx('x'), banned: true }, false],
  ])('canAccessGuild: %s', (_case, context, expected) => {
    expect(canAccessGuild(context)).toBe(expected);
  });

  it.each<[string, PermissionContext, bigint]>([
    [
      'non-member realm moderator: moderation only',
      outsider('x', ['moderator']),
      REALM_MODERATOR_PERMISSIONS,
    ],
    [
      'non-member realm admin: administration, no speaking',
      outsider('x', ['admin']),
      REALM_ADMIN_OUTSIDER_PERMISSIONS,
    ],
    [
      'non-member holding both realm roles',
      outsider('x', ['moderator', 'admin']),
      REALM_ADMIN_OUTSIDER_PERMISSIONS,
    ],
    ['non-member without realm role: nothing', outsider('x', ['user']), 0n],
    ['banned realm moderator: nothing', bannedCtx('x', ['moderator']), 0n],
    ['banned realm admin: nothing', bannedCtx('x', ['admin']), 0n],
    ['member realm admin: everything, as before', ctx('x', [], ['admin']), ALL_PERMISSIONS],
    [
      'member realm moderator: roles plus moderation, as before',
      ctx('x', [], ['moderator']),
      DEFAULT_EVERYONE_PERMISSIONS | REALM_MODERATOR_PERMISSIONS,
    ],
  ])('computeBasePermissions: %s', (_case, context, expected) => {
    expect(permissionNames(computeBasePermissions(context))).toEqual(permissionNames(expected));
  });

  it.each<[string, PermissionContext, OverwriteInput[], bigint]>([
    [
      'a non-member moderator is not granted send by overwrites',
      outsider('x', ['moderator']),
      grantAll,
      REALM_MODERATOR_PERMISSIONS,
    ],
    [
      'a non-member moderator reads a private channel',
      outsider('x', ['moderator']),
      denyAll,
      REALM_MODERATOR_PERMISSIONS,
    ],
    [
      'a non-member admin is not granted send by overwrites',
      outsider('x', ['admin']),
      grantAll,
      REALM_ADMIN_OUTSIDER_PERMISSIONS,
    ],
    [
      'a non-member admin sees a private channel',
      outsider('x', ['admin']),
      denyAll,
      REALM_ADMIN_OUTSIDER_PERMISSIONS,
    ],
    ['a banned moderator sees nothing', bannedCtx('x', ['moderator']), grantAll, 0n],
    ['a banned admin sees nothing', bannedCtx('x', ['admin']), grantAll, 0n],
    [
      'a member moderator still speaks where the guild lets them',
      ctx('x', [], ['moderator']),
      [],
      DEFAULT_EVERYONE_PERMISSIONS | REALM_MODERATOR_PERMISSIONS,
    ],
  ])('computeChannelPermissions: %s', (_case, context, overwrites, expected) => {
    const actual = computeChannelPermissions(context, overwrites);
    expect(permissionNames(actual)).toEqual(permissionNames(expected));
    expect(hasPermission(actual, SEND_MESSAGES)).toBe((expected & SEND_MESSAGES) !== 0n);
  });

  it('a non-member realm admin administers as owner; a banned one does not', () => {
    const admin = outsider('x', ['admin']);
    expect(actsAsOwner(admin)).toBe(true);
    expect(canManageRole(admin, role.admins)).toBe(true);
    expect(canGrantPermissions(admin, ALL_PERMISSIONS)).toBe(true);
    expect(canActOnMember(admin, { userId: 'b', roleIds: [role.admins.id] }, 'ban')).toBe(true);
    const banned = bannedCtx('x', ['admin']);
    expect(actsAsOwner(banned)).toBe(false);
    expect(highestRolePosition(banned)).toBe(-Infinity);
    expect(canManageRole(banned, role.muted)).toBe(false);
    expect(canGrantPermissions(banned, P.VIEW_CHANNEL)).toBe(false);
    expect(canActOnMember(banned, { userId: 'b', roleIds: [] }, 'kick')).toBe(false);
  });

  it('a non-member realm moderator kicks and bans anyone but the owner; a banned one nobody', () => {
    const mod = outsider('x', ['moderator']);
    expect(canActOnMember(mod, { userId: 'b', roleIds: [role.admins.id] }, 'kick')).toBe(true);
    expect(canActOnMember(mod, { userId: OWNER, roleIds: [] }, 'ban')).toBe(false);
    expect(canManageRole(mod, role.muted)).toBe(false);
    expect(canGrantPermissions(mod, SEND_MESSAGES)).toBe(false);
    const banned = bannedCtx('x', ['moderator']);
    expect(canActOnMember(banned, { userId: 'b', roleIds: [] }, 'ban')).toBe(false);
  });
});
