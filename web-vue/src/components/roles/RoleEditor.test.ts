/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { provideApi } from '../../composables/use-api';
import { PERMISSION_NAMES } from '../../lib/permissions';
import type { Role } from '../../lib/types';
import { useGuildsStore } from '../../stores/use-guilds-store';
import { fakeApis } from '../../testing/fake-api';
import { ALICE, member, role } from '../../testing/factories';
import { bits, OWNER, seedGuild } from '../../testing/guild-fixture';
import GuildSettingsDialog from '../guilds/GuildSettingsDialog.vue';
import RoleEditor from './RoleEditor.vue';

describe('RoleEditor', () => {
  let pinia: Pinia;
  let apis: ReturnType<typeof fakeApis>;
  let wrapper: VueWrapper;
  /** The roles as server-service holds them; PATCH changes them, GET reads them. */
  let serverRoles: Role[];

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    apis = fakeApis();
    provideApi(apis);
    seedGuild(pinia, {
      roles: [
        role('mods', bits('KICK_MEMBERS', 'MANAGE_MESSAGES'), { name: 'Mods', position: 2 }),
        role('helpers', 0n, { name: 'Helpers', position: 1 }),
      ],
    });
    serverRoles = JSON.parse(JSON.stringify(useGuildsStore().rolesByGuild.g1)) as Role[];
    apis.server.on('GET /guilds/g1/roles', () => JSON.parse(JSON.stringify(serverRoles)));
    for (const r of serverRoles)
      apis.server.on(`PATCH /guilds/g1/roles/${r.id}`, (body) => {
        Object.assign(
          serverRoles.find((x) => x.id === r.id)!,
          body,
        );
        return serverRoles.find((x) => x.id === r.id);
      });
  });

  afterEach(() => {
    wrapper?.unmount();
    provideApi(null);
  });

  function mountEditor() {
    wrapper = mount(RoleEditor, { props: { guildId: 'g1' }, global: { plugins: [pinia] } });
  }

  const roleSection = (name: string) =>
    wrapper.findAll('details.role').find((d) => d.get('summary').text() === name)!;
  const checkbox = (roleName: string, permission: string) =>
    roleSection(roleName)
      .findAll('label.perm')
      .find((l) => l.text() === permission.toLowerCase().replace(/_/g, ' '))!
      .get('input[type="checkbox"]');
  const checked = (roleName: string) =>
    PERMISSION_NAMES.filter((p) => (checkbox(roleName, p).element as HTMLInputElement).checked);

  it('lists the roles highest first with @everyone last, each with a box per permission', () => {
    mountEditor();
    expect(wrapper.findAll('summary').map((s) => s.text())).toEqual([
      'Mods',
      'Helpers',
      '@everyone',
    ]);
    expect(roleSection('Mods').findAll('label.perm')).toHaveLength(PERMISSION_NAMES.length);
    expect(checked('Mods')).toEqual(['KICK_MEMBERS', 'MANAGE_MESSAGES']);
    expect(checked('@everyone')).toEqual(['VIEW_CHANNEL', 'SEND_MESSAGES', 'READ_MESSAGE_HISTORY']);
  });

  it('turns one permission on or off and keeps the others', async () => {
    mountEditor();
    await checkbox('Mods', 'BAN_MEMBERS').setValue(true);
    await flushPromises();
    await checkbox('Mods', 'KICK_MEMBERS').setValue(false);
    await flushPromises();
    const patches = apis.server.calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => [c.path, c.body])).toEqual([
      [
        '/guilds/g1/roles/mods',
        { permissions: bits('KICK_MEMBERS', 'MANAGE_MESSAGES', 'BAN_MEMBERS').toString() },
      ],
      ['/guilds/g1/roles/mods', { permissions: bits('MANAGE_MESSAGES', 'BAN_MEMBERS').toString() }],
    ]);
    expect(checked('Mods')).toEqual(['BAN_MEMBERS', 'MANAGE_MESSAGES']);
  });

  it('lets @everyone be given permissions but not renamed, moved or deleted', () => {
    mountEditor();
    const everyone = roleSection('@everyone');
    expect(everyone.find('input:not([type="checkbox"])').exists()).toBe(false);
    expect(everyone.findAll('button')).toHaveLength(0);
    const mods = roleSection('Mods');
    expect(mods.find('input[aria-label="Name of Mods"]').exists()).toBe(true);
    expect(mods.findAll('button').map((b) => b.text())).toEqual(['↑', '↓', 'Delete']);
  });

  it('moves a role up or down one place, never below @everyone', async () => {
    mountEditor();
    expect(
      roleSection('Helpers').get('[aria-label="Move Helpers down"]').attributes('disabled'),
    ).toBeDefined();
    expect(
      roleSection('Mods').get('[aria-label="Move Mods down"]').attributes('disabled'),
    ).toBeUndefined();
    await roleSection('Helpers').get('[aria-label="Move Helpers up"]').trigger('click');
    await flushPromises();
    expect(apis.server.calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/guilds/g1/roles/helpers',
      body: { position: 2 },
    });
  });

  it('says in plain words why server-service refused a change', async () => {
    apis.server.fail('PATCH /guilds/g1/roles/mods', 403, {
      title: 'Forbidden',
      detail: 'You can only manage roles below your highest role.',
    });
    mountEditor();
    await checkbox('Mods', 'BAN_MEMBERS').setValue(true);
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain(
      'You can only manage roles below your highest role.',
    );
  });
});

describe('server settings: who gets the role editor', () => {
  let pinia: Pinia;
  let wrapper: VueWrapper;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    const apis = fakeApis();
    apis.server.on('GET /guilds/g1/roles', () => useGuildsStore().rolesByGuild.g1);
    apis.server.on('GET /guilds/g1/invites', []);
    apis.server.on('GET /guilds/g1/bans?limit=50', { items: [], next: null });
    provideApi(apis);
  });

  afterEach(() => {
    wrapper?.unmount();
    provideApi(null);
  });

  async function openSettings() {
    wrapper = mount(GuildSettingsDialog, {
      props: { guildId: 'g1' },
      global: { plugins: [pinia] },
    });
    await flushPromises();
    return wrapper.find('section[aria-label="Roles"]').exists();
  }

  it('shows it to a member whose role has MANAGE_ROLES', async () => {
    seedGuild(pinia, {
      roles: [role('admins', bits('MANAGE_ROLES'), { position: 1 })],
      members: [member(ALICE, { roleIds: ['admins'] }), member(OWNER)],
    });
    expect(await openSettings()).toBe(true);
  });

  it('shows it to the owner', async () => {
    seedGuild(pinia, { me: OWNER });
    expect(await openSettings()).toBe(true);
  });

  it('hides it from a member without MANAGE_ROLES', async () => {
    seedGuild(pinia);
    expect(await openSettings()).toBe(false);
  });
});
