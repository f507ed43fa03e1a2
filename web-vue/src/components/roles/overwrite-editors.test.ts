/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { provideApi } from '../../composables/use-api';
import { CHANNEL_OVERWRITE_PERMISSIONS } from '../../lib/permissions';
import type { Overwrite } from '../../lib/types';
import { useChannelsStore } from '../../stores/use-channels-store';
import { fakeApis } from '../../testing/fake-api';
import { ALICE, BOB, channel, member, role } from '../../testing/factories';
import { bits, OWNER, seedGuild } from '../../testing/guild-fixture';
import ChannelEditDialog from '../channels/ChannelEditDialog.vue';
import MemberOverwriteEditor from './MemberOverwriteEditor.vue';
import RoleOverwriteEditor from './RoleOverwriteEditor.vue';

const CAROL = 'user-carol';

/** A channel overwrite as server-service stores it. */
const overwrite = (id: string, type: 'role' | 'member', allow = 0n, deny = 0n): Overwrite => ({
  id,
  type,
  allow: allow.toString(),
  deny: deny.toString(),
});

describe('channel permission overwrite editors', () => {
  let pinia: Pinia;
  let apis: ReturnType<typeof fakeApis>;
  let wrapper: VueWrapper;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    apis = fakeApis();
    provideApi(apis);
  });

  afterEach(() => {
    wrapper?.unmount();
    provideApi(null);
  });

  function seed(overwrites: Overwrite[] = []) {
    seedGuild(pinia, {
      me: OWNER,
      roles: [role('mods', bits('KICK_MEMBERS'), { name: 'Mods', position: 1 })],
      members: [member(OWNER), member(ALICE), member(BOB), member(CAROL)],
      channels: [channel({ overwrites })],
    });
    for (const target of ['g1', 'mods', ALICE, BOB, CAROL]) {
      apis.server.on(`PUT /channels/c1/permissions/${target}`, null);
      apis.server.on(`DELETE /channels/c1/permissions/${target}`, null);
    }
  }

  /** Each cell of a row, as its select shows it: `/` inherit, `✓` allow, `✕` deny. */
  function cells(row: DOMWrapper<Element>): string[] {
    return row
      .findAll('select')
      .map(
        (s) => ({ inherit: '/', allow: '✓', deny: '✕' })[(s.element as HTMLSelectElement).value]!,
      );
  }
  const row = (name: string) =>
    wrapper.findAll('tbody tr').find((r) => r.get('th').text() === name)!;
  const cell = (name: string, permission: string) =>
    row(name)
      .findAll('select')
      .find((s) => s.attributes('aria-label')!.startsWith(`${permission} for`))!;
  const writes = () =>
    apis.server.calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.body]);

  describe('by role', () => {
    function mountEditor() {
      wrapper = mount(RoleOverwriteEditor, {
        props: { channelId: 'c1' },
        global: { plugins: [pinia] },
      });
    }

    it('shows every role with allow, deny or inherit for each channel permission', () => {
      seed([
        overwrite('g1', 'role', 0n, bits('SEND_MESSAGES')),
        overwrite('mods', 'role', bits('MANAGE_MESSAGES')),
      ]);
      mountEditor();
      expect(wrapper.findAll('tbody th').map((t) => t.text())).toEqual(['Mods', '@everyone']);
      expect(
        wrapper
          .findAll('thead th')
          .slice(1)
          .map((t) => t.text()),
      ).toEqual(CHANNEL_OVERWRITE_PERMISSIONS.map((p) => p.toLowerCase().replace(/_/g, ' ')));
      const expected = (name: string, state: string) =>
        CHANNEL_OVERWRITE_PERMISSIONS.map((p) => (p === name ? state : '/'));
      expect(cells(row('@everyone'))).toEqual(expected('SEND_MESSAGES', '✕'));
      expect(cells(row('Mods'))).toEqual(expected('MANAGE_MESSAGES', '✓'));
    });

    it('denies one permission and keeps what the overwrite already allowed', async () => {
      seed([overwrite('mods', 'role', bits('MANAGE_MESSAGES'))]);
      mountEditor();
      await cell('Mods', 'SEND_MESSAGES').setValue('deny');
      await flushPromises();
      expect(writes()).toEqual([
        [
          'PUT',
          '/channels/c1/permissions/mods',
          {
            type: 'role',
            allow: bits('MANAGE_MESSAGES').toString(),
            deny: bits('SEND_MESSAGES').toString(),
          },
        ],
      ]);
      expect((cell('Mods', 'SEND_MESSAGES').element as HTMLSelectElement).value).toBe('deny');
    });

    it('deletes an overwrite whose last allow or deny goes back to inherit', async () => {
      seed([overwrite('g1', 'role', 0n, bits('SEND_MESSAGES'))]);
      mountEditor();
      await cell('@everyone', 'SEND_MESSAGES').setValue('inherit');
      await flushPromises();
      expect(writes()).toEqual([['DELETE', '/channels/c1/permissions/g1', undefined]]);
      expect(useChannelsStore().byId('c1')!.overwrites).toEqual([]);
    });

    it('reports a refusal to the dialog', async () => {
      seed();
      apis.server.fail('PUT /channels/c1/permissions/mods', 403, { detail: 'Not allowed.' });
      mountEditor();
      await cell('Mods', 'VIEW_CHANNEL').setValue('allow');
      await flushPromises();
      expect(wrapper.emitted('error')?.[0]?.[0]).toContain('Not allowed.');
    });
  });

  describe('by member', () => {
    function mountEditor() {
      wrapper = mount(MemberOverwriteEditor, {
        props: { channelId: 'c1' },
        global: { plugins: [pinia] },
      });
    }
    const choices = () =>
      wrapper
        .findAll('#member-overwrite-pick option')
        .map((o) => o.attributes('value'))
        .filter(Boolean);

    it('lists the members with an overwrite and offers the others to add', () => {
      seed([overwrite(BOB, 'member', 0n, bits('SEND_MESSAGES'))]);
      mountEditor();
      expect(wrapper.findAll('tbody th').map((t) => t.text())).toEqual(['bob']);
      expect((cell('bob', 'SEND_MESSAGES').element as HTMLSelectElement).value).toBe('deny');
      expect(choices()).toEqual([ALICE, CAROL, OWNER]);
    });

    it('adds a member with every permission inherited, and stores it with the first allow', async () => {
      seed();
      mountEditor();
      expect(wrapper.text()).toContain('No member-specific permissions.');
      expect(wrapper.get('button.secondary').attributes('disabled')).toBeDefined();
      await wrapper.get('#member-overwrite-pick').setValue(CAROL);
      await wrapper.get('button.secondary').trigger('click');
      expect(cells(row('carol')).every((c) => c === '/')).toBe(true);
      expect(choices()).not.toContain(CAROL);
      expect(writes()).toEqual([]); // nothing stored for an overwrite with nothing in it
      await cell('carol', 'VIEW_CHANNEL').setValue('allow');
      await flushPromises();
      expect(writes()).toEqual([
        [
          'PUT',
          `/channels/c1/permissions/${CAROL}`,
          { type: 'member', allow: bits('VIEW_CHANNEL').toString(), deny: '0' },
        ],
      ]);
    });

    it("removes a member's overwrite with ✕, and a member only added here without a request", async () => {
      seed([overwrite(BOB, 'member', bits('VIEW_CHANNEL'))]);
      mountEditor();
      await wrapper.get('#member-overwrite-pick').setValue(CAROL);
      await wrapper.get('button.secondary').trigger('click');
      await wrapper.get('[aria-label="Remove permissions for carol"]').trigger('click');
      await flushPromises();
      expect(writes()).toEqual([]);
      await wrapper.get('[aria-label="Remove permissions for bob"]').trigger('click');
      await flushPromises();
      expect(writes()).toEqual([['DELETE', `/channels/c1/permissions/${BOB}`, undefined]]);
      expect(wrapper.text()).toContain('No member-specific permissions.');
    });
  });

  describe('which editors the channel dialog shows', () => {
    async function openDialog() {
      const c = useChannelsStore().byId('c1')!;
      wrapper = mount(ChannelEditDialog, { props: { channel: c }, global: { plugins: [pinia] } });
      await flushPromises();
      return {
        byRole: wrapper.findComponent(RoleOverwriteEditor).exists(),
        byMember: wrapper.findComponent(MemberOverwriteEditor).exists(),
      };
    }

    it('both to someone with MANAGE_ROLES in the guild', async () => {
      seedGuild(pinia, {
        roles: [role('admins', bits('MANAGE_ROLES', 'MANAGE_CHANNELS'), { position: 1 })],
        members: [member(ALICE, { roleIds: ['admins'] }), member(OWNER)],
      });
      expect(await openDialog()).toEqual({ byRole: true, byMember: true });
    });

    it('only the member editor to someone given MANAGE_ROLES in this channel alone', async () => {
      seedGuild(pinia, {
        roles: [role('editors', bits('MANAGE_CHANNELS'), { position: 1 })],
        members: [member(ALICE, { roleIds: ['editors'] }), member(OWNER)],
        channels: [channel({ overwrites: [overwrite(ALICE, 'member', bits('MANAGE_ROLES'))] })],
      });
      expect(await openDialog()).toEqual({ byRole: false, byMember: true });
    });

    it('neither to someone without MANAGE_ROLES, and no member editor where this channel denies it', async () => {
      seedGuild(pinia, {
        roles: [role('editors', bits('MANAGE_CHANNELS'), { position: 1 })],
        members: [member(ALICE, { roleIds: ['editors'] }), member(OWNER)],
      });
      expect(await openDialog()).toEqual({ byRole: false, byMember: false });
      wrapper.unmount();
      seedGuild(pinia, {
        roles: [role('admins', bits('MANAGE_ROLES', 'MANAGE_CHANNELS'), { position: 1 })],
        members: [member(ALICE, { roleIds: ['admins'] }), member(OWNER)],
        channels: [channel({ overwrites: [overwrite(ALICE, 'member', 0n, bits('MANAGE_ROLES'))] })],
      });
      expect(await openDialog()).toEqual({ byRole: true, byMember: false });
    });
  });
});
