/**
 * @jest-environment jsdom
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { Permissions } from '../../lib/permissions';
import { useMembersStore } from '../../stores/use-members-store';
import { ALICE, BOB, member } from '../../testing/factories';
import { seedGuild } from '../../testing/guild-fixture';
import MemberList from './MemberList.vue';

// Members now come and go live (guild events, issue #12): a member's open actions panel must not
// outlive them, or their return finds it open and a click closes it instead.
describe('MemberList with members coming and going live', () => {
  it('a member who leaves takes their open panel along; back, they start closed', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    seedGuild(pinia, {
      everyone: Permissions.VIEW_CHANNEL | Permissions.KICK_MEMBERS | Permissions.BAN_MEMBERS,
      members: [member(ALICE), member(BOB)],
    });
    const wrapper = mount(MemberList, { props: { guildId: 'g1' }, global: { plugins: [pinia] } });
    const bob = () => wrapper.get('[data-testid=member-bob]');
    await bob().trigger('click');
    expect(bob().attributes('aria-expanded')).toBe('true');

    const members = useMembersStore();
    members.remove('g1', BOB); // GUILD_MEMBER_REMOVE: kicked
    await nextTick();
    members.upsert(member(BOB)); // GUILD_MEMBER_ADD: back through the invite
    await nextTick();
    expect(bob().attributes('aria-expanded')).toBe('false');
    await bob().trigger('click');
    expect(wrapper.text()).toContain('Ban');
    wrapper.unmount();
  });
});
