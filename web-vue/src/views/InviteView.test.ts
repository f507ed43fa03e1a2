/**
 * @jest-environment jsdom
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { provideApi } from '../composables/use-api';
import type { InvitePreview } from '../lib/types';
import { fakeApis } from '../testing/fake-api';
import InviteView from './InviteView.vue';

/** Issue #12 bug 6: the invite page says up front what accepting would do. */
describe('InviteView', () => {
  afterEach(() => provideApi(null));

  async function show(viewer: InvitePreview['viewer']) {
    const pinia = createPinia();
    setActivePinia(pinia);
    const apis = fakeApis();
    apis.server.on('GET /invites/abc123XYZ0', {
      code: 'abc123XYZ0',
      guild: { id: 'g1', name: 'Night Owls', iconUrl: null },
      memberCount: 3,
      expiresAt: null,
      viewer,
    });
    provideApi(apis);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/invite/:code', component: InviteView },
        { path: '/:p(.*)*', component: { render: () => null } },
      ],
    });
    await router.push('/invite/abc123XYZ0');
    const wrapper = mount(InviteView, { global: { plugins: [pinia, router] } });
    await flushPromises();
    return wrapper;
  }

  it('tells a banned user they cannot join, and offers no Accept button', async () => {
    const wrapper = await show({ member: false, banned: true });
    expect(wrapper.find('[data-testid="invite-accept"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="invite-banned"]').text()).toBe(
      'You are banned from Night Owls, so you cannot accept this invite.',
    );
  });

  it('offers Accept to anyone else, and "Open" to a member', async () => {
    expect(
      (await show({ member: false, banned: false })).find('[data-testid="invite-accept"]').exists(),
    ).toBe(true);
    const member = await show({ member: true, banned: false });
    expect(member.find('[data-testid="invite-accept"]').exists()).toBe(false);
    expect(member.get('[data-testid="invite-open"]').text()).toBe('Open Night Owls');
  });
});
