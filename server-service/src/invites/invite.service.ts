import { randomInt } from 'node:crypto';
import { hasPermission, Permissions, serverEvent } from '@echopulse/guild-contracts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type Principal,
} from '@echopulse/service-kit';
import type { ServiceDeps } from '../common/context';
import type { Repositories } from '../db/database';
import { memberSnapshot, toMember, type Member } from '../members/member.types';
import { loadGuildAccess, requirePermission } from '../permissions/guild-access';
import type { InviteEntity } from './invite.entity';
import { toInvite, type CreateInviteBody, type Invite, type InvitePreview } from './invite.types';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 10 base-62 characters: about 59 bits, unguessable by enumeration. */
const newCode = () =>
  Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');

const usable = (invite: InviteEntity, now = new Date()) =>
  invite.revokedAt === null &&
  (invite.expiresAt === null || invite.expiresAt > now) &&
  (invite.maxUses === 0 || invite.uses < invite.maxUses);

/** Invites: creation, preview, accepting (joining the guild) and revocation. */
export class InviteService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The guild's invites, revoked and expired ones included (MANAGE_GUILD). */
  async list(actor: Principal, guildId: string): Promise<Invite[]> {
    return this.deps.db.read(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId);
      requirePermission(access.base, 'MANAGE_GUILD');
      return (await r.invites.listByGuild(guildId)).map(toInvite);
    });
  }

  /** Creates an invite (CREATE_INSTANT_INVITE). */
  async create(actor: Principal, guildId: string, body: CreateInviteBody): Promise<Invite> {
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'share' });
      requirePermission(access.base, 'CREATE_INSTANT_INVITE');
      const now = new Date();
      const maxAgeSeconds = body.maxAgeSeconds ?? 86_400;
      const invite: InviteEntity = {
        code: newCode(),
        guildId,
        inviterId: actor.id,
        maxUses: body.maxUses ?? 0,
        uses: 0,
        maxAgeSeconds,
        expiresAt: maxAgeSeconds > 0 ? new Date(now.getTime() + maxAgeSeconds * 1000) : null,
        revokedAt: null,
        createdAt: now,
      };
      await r.invites.insert(invite);
      return toInvite(invite);
    });
  }

  private async findUsable(r: Repositories, code: string): Promise<InviteEntity> {
    const invite = await r.invites.find(code);
    if (!invite || !usable(invite)) throw new NotFoundError('Invite', 'unknown_invite');
    return invite;
  }

  /**
   * What the invite leads to, and whether the caller is banned there or already a member (so the
   * invite page can say so before they click); 404 for unknown, revoked, expired or used-up
   * invites alike.
   */
  async preview(actor: Principal, code: string): Promise<InvitePreview> {
    return this.deps.db.read(async (r) => {
      const invite = await this.findUsable(r, code);
      const guild = (await r.guilds.find(invite.guildId))!;
      return {
        code,
        guild: { id: guild.id, name: guild.name, iconUrl: guild.iconUrl },
        memberCount: await r.members.count(guild.id),
        expiresAt: invite.expiresAt?.toISOString() ?? null,
        viewer: {
          member: !!(await r.members.find(guild.id, actor.id)),
          banned: !!(await r.bans.find(guild.id, actor.id)),
        },
      };
    });
  }

  /**
   * Joins the guild through the invite. Banned users get 403, members 409 (the invite is not
   * used). The use is counted by a conditional UPDATE, so concurrent accepts never exceed
   * maxUses; a join that fails after it rolls the count back with everything else.
   */
  async accept(actor: Principal, code: string): Promise<Member> {
    return this.deps.db.transaction(async (r) => {
      const found = await this.findUsable(r, code);
      const guildId = found.guildId;
      // share lock: concurrent joins proceed together; bans and deletion wait for them
      if (!(await r.guilds.findLocked(guildId, 'share'))) {
        throw new NotFoundError('Invite', 'unknown_invite');
      }
      if (await r.bans.find(guildId, actor.id)) {
        throw new ForbiddenError('You are banned from this guild.', 'banned');
      }
      if (await r.members.find(guildId, actor.id)) {
        throw new ConflictError('You are already a member of this guild.', 'already_member');
      }
      if (!(await r.invites.consume(code))) throw new NotFoundError('Invite', 'unknown_invite');
      if (!(await r.members.insert(guildId, actor.id))) {
        throw new ConflictError('You are already a member of this guild.', 'already_member');
      }
      const member = (await r.members.find(guildId, actor.id))!;
      await r.events.append(
        serverEvent('member.joined', guildId, { member: memberSnapshot(member) }),
      );
      return toMember(member);
    });
  }

  /** Revokes an invite: its creator, or anyone with MANAGE_GUILD. */
  async revoke(actor: Principal, code: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const invite = await r.invites.find(code);
      if (!invite || invite.revokedAt) throw new NotFoundError('Invite', 'unknown_invite');
      const access = await loadGuildAccess(r, actor, invite.guildId, {
        lock: 'share',
        what: 'Invite',
      });
      if (invite.inviterId !== actor.id && !hasPermission(access.base, Permissions.MANAGE_GUILD)) {
        throw new ForbiddenError('This needs the MANAGE_GUILD permission.', 'missing_permission');
      }
      await r.invites.revoke(code);
    });
  }
}
