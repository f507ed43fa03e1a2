/**
 * @jest-environment jsdom
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { provideApi } from '../../composables/use-api';
import { useAuthStore } from '../../stores/use-auth-store';
import { useGuildsStore } from '../../stores/use-guilds-store';
import { fakeApis } from '../../testing/fake-api';
import { guild } from '../../testing/factories';
import { OWNER, seedGuild } from '../../testing/guild-fixture';
import GuildRail from '../guilds/GuildRail.vue';
import GuildSettingsDialog from '../guilds/GuildSettingsDialog.vue';
import UserPanel from './UserPanel.vue';

/** Issue #12 bug 7: the labels of the walkthrough. */
describe('issue #12 bug 7: labels', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
  });
  afterEach(() => provideApi(null));

  it('says "1 use" and "2 uses" in the invite list', async () => {
    seedGuild(pinia, { me: OWNER });
    const apis = fakeApis();
    const invite = (code: string, uses: number, maxUses: number | null) => ({
      code,
      guildId: 'g1',
      channelId: 'c1',
      inviterId: 'user-alice',
      uses,
      maxUses,
      expiresAt: null,
      revoked: false,
      createdAt: '2026-01-01T00:00:00Z',
    });
    apis.server
      .on('GET /guilds/g1/roles', [])
      .on('GET /guilds/g1/invites', [invite('one', 1, null), invite('two', 2, 10)])
      .on('GET /guilds/g1/bans?limit=50', []);
    provideApi(apis);
    const wrapper = mount(GuildSettingsDialog, {
      props: { guildId: 'g1' },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    await flushPromises();
    const text = document.body.textContent ?? '';
    expect(text).toContain('1 use ·');
    expect(text).not.toContain('1 uses');
    expect(text).toContain('2 of 10 uses');
    wrapper.unmount();
  });

  it('shows the display name in the account panel, the username beside it', () => {
    useAuthStore().$patch({ username: 'alice', displayName: 'Alice Archer' });
    const wrapper = mount(UserPanel, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="current-user"]').text()).toBe('Alice Archer');
    expect(wrapper.text()).toContain('alice');
  });

  it('falls back to the initials when a guild icon fails to load', async () => {
    useGuildsStore().guilds = [guild({ name: 'Night Owls', iconUrl: 'https://x.test/broken.png' })];
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }],
    });
    const wrapper = mount(GuildRail, { global: { plugins: [pinia, router] } });
    await wrapper.get('img').trigger('error');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.get('[data-testid="guild-Night Owls"] [aria-hidden="true"]').text()).toBe('NO');
  });
});
