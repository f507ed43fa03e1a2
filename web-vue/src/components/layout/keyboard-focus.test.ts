/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { provideApi } from '../../composables/use-api';
import { provideTransport } from '../../lib/transport';
import { useMessagesStore } from '../../stores/use-messages-store';
import { fakeApis } from '../../testing/fake-api';
import { ALICE, message } from '../../testing/factories';
import { OWNER, seedGuild } from '../../testing/guild-fixture';
import { RecordingTransport } from '../../testing/recording-transport';
import ChannelSidebar from '../channels/ChannelSidebar.vue';
import MessagePane from '../messages/MessagePane.vue';
import ModalDialog from './ModalDialog.vue';

/**
 * Issue #12 bug 4: the WAI-ARIA patterns for the server menu (menu button), dialogs (focus kept
 * inside, Esc, focus back to the opener) and the message list (each message reachable by
 * keyboard, its actions with it).
 */
describe('issue #12 bug 4: keyboard and focus', () => {
  let pinia: Pinia;
  let wrapper: VueWrapper;
  // jsdom has no layout; focus-trap (tabbable) takes an element without boxes for hidden
  const rects = Element.prototype.getClientRects;
  beforeAll(() => {
    Element.prototype.getClientRects = function () {
      return [{ width: 10, height: 10 }] as unknown as DOMRectList;
    };
  });
  afterAll(() => (Element.prototype.getClientRects = rects));

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    provideTransport(new RecordingTransport());
  });
  afterEach(() => {
    wrapper?.unmount();
    document.body.innerHTML = '';
    provideTransport(null);
    provideApi(null);
  });

  const focused = () => document.activeElement as HTMLElement;
  const key = (el: Element, k: string, init: KeyboardEventInit = {}) =>
    el.dispatchEvent(
      new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }),
    );

  describe('dialog', () => {
    const Host = defineComponent({
      setup() {
        const open = ref(false);
        return () =>
          h('div', [
            h('button', { id: 'opener', onClick: () => (open.value = true) }, 'Open'),
            open.value
              ? h(
                  ModalDialog,
                  { title: 'Test dialog', onClose: () => (open.value = false) },
                  () => [h('input', { id: 'first' }), h('button', { id: 'last' }, 'Save')],
                )
              : null,
          ]);
      },
    });

    it('takes focus, keeps Tab inside, closes on Esc and gives focus back to the opener', async () => {
      wrapper = mount(Host, { attachTo: document.body });
      const opener = wrapper.get('#opener').element as HTMLElement;
      opener.focus();
      await wrapper.get('#opener').trigger('click');
      await flushPromises();
      expect(focused().id).toBe('first');
      (wrapper.get('#last').element as HTMLElement).focus();
      key(focused(), 'Tab');
      await flushPromises();
      expect(focused().id).toBe('first'); // wrapped, not out of the dialog
      key(focused(), 'Tab', { shiftKey: true });
      await flushPromises();
      expect(focused().id).toBe('last');
      key(focused(), 'Escape');
      await flushPromises();
      await new Promise((r) => setTimeout(r, 0));
      expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
      expect(focused()).toBe(opener);
    });
  });

  describe('server menu', () => {
    async function mountSidebar() {
      seedGuild(pinia, { me: OWNER });
      const apis = fakeApis();
      apis.server.on('GET /guilds/g1/roles', []).on('GET /guilds/g1/invites', []);
      apis.server.on('GET /guilds/g1/bans?limit=50', []);
      provideApi(apis);
      const router = createRouter({
        history: createMemoryHistory(),
        routes: [{ path: '/:p(.*)*', component: { render: () => null } }],
      });
      wrapper = mount(ChannelSidebar, {
        props: { guildId: 'g1' },
        global: { plugins: [pinia, router] },
        attachTo: document.body,
      });
      await flushPromises();
      return wrapper.get('[data-testid="guild-menu"]').element as HTMLElement;
    }
    const items = () => [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')];

    it('opens from the keyboard on the first item, moves with arrows, closes on Esc back to the button', async () => {
      const button = await mountSidebar();
      expect(button.getAttribute('aria-haspopup')).toBe('menu');
      button.focus();
      key(button, 'ArrowDown');
      await flushPromises();
      expect(button.getAttribute('aria-expanded')).toBe('true');
      expect(focused()).toBe(items()[0]);
      key(focused(), 'ArrowDown');
      expect(focused()).toBe(items()[1]);
      key(focused(), 'ArrowUp');
      key(focused(), 'ArrowUp'); // wraps to the last
      expect(focused()).toBe(items().at(-1));
      key(focused(), 'Home');
      expect(focused()).toBe(items()[0]);
      key(focused(), 'Escape');
      await flushPromises();
      expect(items()).toHaveLength(0);
      expect(button.getAttribute('aria-expanded')).toBe('false');
      expect(focused()).toBe(button);
    });

    it('closes on a click outside', async () => {
      const button = await mountSidebar();
      button.click();
      await flushPromises();
      expect(items().length).toBeGreaterThan(0);
      document.body.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true }));
      await flushPromises();
      expect(items()).toHaveLength(0);
    });

    it('gives focus back to the menu button when a dialog opened from it closes', async () => {
      const button = await mountSidebar();
      button.click();
      await flushPromises();
      (document.querySelector('[data-testid="menu-settings"]') as HTMLElement).click();
      await flushPromises();
      await new Promise((r) => setTimeout(r, 0));
      const dialog = document.querySelector('[role="dialog"]')!;
      expect(dialog.contains(focused())).toBe(true);
      key(focused(), 'Escape');
      await flushPromises();
      await new Promise((r) => setTimeout(r, 0));
      expect(document.querySelector('[role="dialog"]')).toBeNull();
      expect(focused()).toBe(button);
    });
  });

  describe('message list', () => {
    it('lets the keyboard reach every message (one tab stop, arrows between them) and its actions', async () => {
      seedGuild(pinia);
      const store = useMessagesStore();
      store.ingest('message.created', message(1, { content: 'from bob' }));
      store.ingest(
        'message.created',
        message(2, { content: 'mine', author: { id: ALICE, username: 'alice' } }),
      );
      Object.assign(store.ensure('c1'), { loaded: true, hasMoreBefore: false });
      wrapper = mount(MessagePane, {
        props: { channelId: 'c1' },
        global: { plugins: [pinia] },
        attachTo: document.body,
      });
      await flushPromises();
      const articles = () => [...document.querySelectorAll<HTMLElement>('article')];
      // one message in the tab order: the newest
      expect(articles().map((a) => a.tabIndex)).toEqual([-1, 0]);
      articles()[1]!.focus();
      // its actions follow it in the tab order
      const tools = [...articles()[1]!.querySelectorAll('button')].map((b) =>
        b.getAttribute('aria-label'),
      );
      expect(tools).toEqual(['Edit message', 'Delete message']);
      key(focused(), 'ArrowUp');
      expect(focused()).toBe(articles()[0]);
      await flushPromises();
      expect(articles().map((a) => a.tabIndex)).toEqual([0, -1]);
      key(focused(), 'End');
      expect(focused()).toBe(articles()[1]);
    });
  });
});
