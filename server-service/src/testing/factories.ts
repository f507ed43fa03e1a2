import { randomBytes } from 'node:crypto';
import type { ApiClient, User } from './api-client';

export const uniqueName = (prefix = 'guild') => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface GuildFixture {
  id: string;
  name: string;
  owner: User;
  /** The "general" text channel. */
  generalId: string;
  /** The "Text Channels" category. */
  categoryId: string;
}

/** Creates a guild through the API, owned by `owner`, with `members` joined by invite. */
export async function createGuild(owner: User, members: User[] = []): Promise<GuildFixture> {
  const name = uniqueName();
  const created = await owner.api.post('/guilds', { name });
  if (created.status !== 201)
    throw new Error(`guild create: ${created.status} ${JSON.stringify(created.body)}`);
  const channels = await owner.api.get(`/guilds/${created.body.id}/channels`);
  const general = channels.body.find((c: { name: string }) => c.name === 'general');
  const category = channels.body.find((c: { type: string }) => c.type === 'category');
  const guild = {
    id: created.body.id,
    name,
    owner,
    generalId: general.id,
    categoryId: category.id,
  };
  for (const member of members) await join(owner.api, guild.id, member);
  return guild;
}

/** Makes `member` join through a fresh invite of `inviter`. */
export async function join(inviter: ApiClient, guildId: string, member: User): Promise<void> {
  const invite = await inviter.post(`/guilds/${guildId}/invites`, { maxUses: 1 });
  if (invite.status !== 201)
    throw new Error(`invite: ${invite.status} ${JSON.stringify(invite.body)}`);
  const accepted = await member.api.post(`/invites/${invite.body.code}`);
  if (accepted.status !== 201)
    throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** Creates a role and gives it to a member. */
export async function grantRole(
  owner: User,
  guildId: string,
  member: User,
  body: { name?: string; permissions?: string },
): Promise<string> {
  const role = await owner.api.post(`/guilds/${guildId}/roles`, {
    name: uniqueName('role'),
    ...body,
  });
  if (role.status !== 201) throw new Error(`role: ${role.status} ${JSON.stringify(role.body)}`);
  const put = await owner.api.put(`/guilds/${guildId}/members/${member.id}/roles/${role.body.id}`);
  if (put.status !== 204) throw new Error(`grant: ${put.status} ${JSON.stringify(put.body)}`);
  return role.body.id;
}
