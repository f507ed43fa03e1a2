/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { provideTransport } from '../../lib/transport';
import { useAuthStore } from '../../stores/use-auth-store';
import { useMembersStore } from '../../stores/use-members-store';
import { useMessagesStore } from '../../stores/use-messages-store';
import { ALICE, member } from '../../testing/factories';
import { RecordingTransport } from '../../testing/recording-transport';
import MessageComposer from './MessageComposer.vue';

describe('MessageComposer', () => {
  let pinia: Pinia;
  let transport: RecordingTransport;
  let wrapper: VueWrapper;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    transport = new RecordingTransport();
    provideTransport(transport);
    useMembersStore().byGuild.g1 = [
      member(ALICE),
      member('user-bob', { displayName: 'Bob' }),
      member('user-bobby'),
      member('user-carol'),
    ];
  });

  afterEach(() => {
    wrapper?.unmount();
    provideTransport(null);
  });

  function mountComposer(disabled = false) {
    wrapper = mount(MessageComposer, {
      props: { channelId: 'c1', guildId: 'g1', channelName: 'general', disabled },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    return wrapper.get('textarea');
  }

  const suggestions = () => wrapper.findAll('[role="option"]').map((o) => o.get('strong').text());
  const highlighted = () => wrapper.get('[aria-selected="true"] strong').text();

  it('sends on Enter and empties the box', async () => {
    const box = mountComposer();
    await box.setValue('  hello there ');
    await box.trigger('keydown', { key: 'Enter' });
    expect(transport.sends.map((s) => s.content)).toEqual(['hello there']);
    expect((box.element as HTMLTextAreaElement).value).toBe('');
    expect(
      useMessagesStore()
        .visible('c1')
        .map((m) => m.content),
    ).toEqual(['hello there']);
  });

  it('breaks the line on Shift+Enter instead of sending', async () => {
    const box = mountComposer();
    await box.setValue('first line');
    await box.trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(transport.sends).toEqual([]);
    expect((box.element as HTMLTextAreaElement).value).toBe('first line');
  });

  it('sends nothing for blank text, nor while an input method is composing', async () => {
    const box = mountComposer();
    await box.setValue('   ');
    await box.trigger('keydown', { key: 'Enter' });
    await box.setValue('か');
    await box.trigger('keydown', { key: 'Enter', isComposing: true });
    expect(transport.sends).toEqual([]);
  });

  it('asks to edit the last message on Up in an empty box, and only then', async () => {
    const box = mountComposer();
    await box.trigger('keydown', { key: 'ArrowUp' });
    expect(wrapper.emitted('edit-last')).toHaveLength(1);
    await box.trigger('keydown', { key: 'ArrowUp', altKey: true }); // Alt+Up switches channel
    await box.setValue('draft');
    await box.trigger('keydown', { key: 'ArrowUp' });
    expect(wrapper.emitted('edit-last')).toHaveLength(1);
  });

  it('tells chat-service someone is typing at most every 5 s', async () => {
    const box = mountComposer();
    await box.setValue('a');
    await box.setValue('ab');
    expect(transport.typings).toEqual(['c1']);
  });

  describe('@ autocomplete', () => {
    it('offers the members whose name starts with what follows @', async () => {
      const box = mountComposer();
      await box.setValue('hi @bo');
      expect(suggestions()).toEqual(['Bob', 'bobby']);
      expect(box.attributes('aria-activedescendant')).toBe('mention-user-bob');
      await box.setValue('hi @bo ');
      expect(suggestions()).toEqual([]);
      await box.setValue('mail@bo'); // not a mention: @ inside a word
      expect(suggestions()).toEqual([]);
    });

    it('moves with the arrows and inserts the pick on Enter without sending', async () => {
      const box = mountComposer();
      await box.setValue('hi @bo');
      await box.trigger('keydown', { key: 'ArrowDown' });
      expect(highlighted()).toBe('bobby');
      await box.trigger('keydown', { key: 'ArrowDown' });
      expect(highlighted()).toBe('Bob'); // wraps around
      await box.trigger('keydown', { key: 'ArrowUp' });
      expect(highlighted()).toBe('bobby');
      await box.trigger('keydown', { key: 'Enter' });
      expect((box.element as HTMLTextAreaElement).value).toBe('hi <@user-bobby> ');
      expect(suggestions()).toEqual([]);
      expect(transport.sends).toEqual([]);
      expect(wrapper.emitted('edit-last')).toBeUndefined();
    });

    it('inserts the pick on Tab, and closes the list on Escape', async () => {
      const box = mountComposer();
      await box.setValue('@car');
      await box.trigger('keydown', { key: 'Tab' });
      expect((box.element as HTMLTextAreaElement).value).toBe('<@user-carol> ');
      await box.setValue('<@user-carol> @b');
      await box.trigger('keydown', { key: 'Escape' });
      expect(suggestions()).toEqual([]);
      await box.trigger('keydown', { key: 'Enter' });
      expect(transport.sends.map((s) => s.content)).toEqual(['<@user-carol> @b']);
    });

    it('inserts a member picked with the mouse', async () => {
      const box = mountComposer();
      await box.setValue('@c');
      await wrapper.get('[role="option"]').trigger('mousedown');
      expect((box.element as HTMLTextAreaElement).value).toBe('<@user-carol> ');
    });
  });

  describe(':shortcode: emoji', () => {
    /** Types `value` and waits for the emoji data (a lazy import) to arrive. */
    async function type(box: ReturnType<typeof mountComposer>, value: string) {
      await box.setValue(value);
      await flushPromises();
    }
    const emojiList = () => wrapper.find('[role="listbox"][aria-label="Emoji"]');

    it('offers emoji after : and two letters, not after one, nor inside a word', async () => {
      const box = mountComposer();
      await type(box, 'nice :s');
      expect(emojiList().exists()).toBe(false);
      await type(box, 'nice :sm');
      expect(suggestions()).toEqual([
        ':smile:',
        ':smirk:',
        ':smiley:',
        ':smoking:',
        ':smile_cat:',
        ':smirk_cat:',
        ':smiley_cat:',
        ':smiling_imp:',
      ]);
      expect(emojiList().get('li').text()).toContain('😄');
      expect(box.attributes('aria-controls')).toBe('emoji-list');
      expect(box.attributes('aria-activedescendant')).toBe('emoji-option-0');
      await type(box, 'at 10:30');
      expect(emojiList().exists()).toBe(false);
    });

    it('moves with the arrows and inserts the pick on Enter without sending', async () => {
      const box = mountComposer();
      await type(box, 'well :sm');
      await box.trigger('keydown', { key: 'ArrowDown' });
      expect(highlighted()).toBe(':smirk:');
      expect(box.attributes('aria-activedescendant')).toBe('emoji-option-1');
      await box.trigger('keydown', { key: 'ArrowUp' });
      await box.trigger('keydown', { key: 'ArrowUp' });
      expect(highlighted()).toBe(':smiling_imp:'); // wraps around
      await box.trigger('keydown', { key: 'ArrowDown' });
      await box.trigger('keydown', { key: 'Enter' });
      expect((box.element as HTMLTextAreaElement).value).toBe('well 😄 ');
      expect(emojiList().exists()).toBe(false);
      expect(transport.sends).toEqual([]);
    });

    it('inserts the pick on Tab, and closes the list on Escape so Enter sends', async () => {
      const box = mountComposer();
      await type(box, ':tad');
      await box.trigger('keydown', { key: 'Tab' });
      expect((box.element as HTMLTextAreaElement).value).toBe('🎉 ');
      await type(box, '🎉 :thu');
      expect(emojiList().exists()).toBe(true);
      await box.trigger('keydown', { key: 'Escape' });
      expect(emojiList().exists()).toBe(false);
      await box.trigger('keydown', { key: 'Enter' });
      expect(transport.sends.map((s) => s.content)).toEqual(['🎉 :thu']);
    });

    it('turns a :shortcode: into its emoji when the second colon is typed', async () => {
      const box = mountComposer();
      await type(box, 'ship it :ta');
      await type(box, 'ship it :tada:');
      await flushPromises();
      expect((box.element as HTMLTextAreaElement).value).toBe('ship it 🎉');
      await type(box, 'ship it 🎉 :nosuchemoji:');
      expect((box.element as HTMLTextAreaElement).value).toBe('ship it 🎉 :nosuchemoji:');
    });
  });

  it('is disabled, and says why, when the user may not send here', () => {
    const box = mountComposer(true);
    expect(box.attributes('disabled')).toBeDefined();
    expect(box.attributes('placeholder')).toBe(
      'You do not have permission to send messages in this channel.',
    );
    wrapper.unmount();
    const enabled = mountComposer(false);
    expect(enabled.attributes('disabled')).toBeUndefined();
    expect(enabled.attributes('placeholder')).toBe('Message #general');
  });

  it('keeps the draft of each channel across channel switches and reloads, per user', async () => {
    localStorage.clear();
    useAuthStore().$patch({ userId: ALICE });
    const box = mountComposer();
    await box.setValue('half written');
    await wrapper.setProps({ channelId: 'c2' });
    expect(box.element.value).toBe('');
    await box.setValue('in c2');
    await wrapper.setProps({ channelId: 'c1' });
    expect(box.element.value).toBe('half written');
    wrapper.unmount();
    // the page is reloaded
    setActivePinia((pinia = createPinia()));
    useAuthStore().$patch({ userId: ALICE });
    const again = mountComposer();
    expect(again.element.value).toBe('half written');
    await wrapper.setProps({ channelId: 'c2' });
    expect(again.element.value).toBe('in c2');
    // sent: the draft is gone
    await again.trigger('keydown', { key: 'Enter' });
    await wrapper.setProps({ channelId: 'c1' });
    await wrapper.setProps({ channelId: 'c2' });
    expect(again.element.value).toBe('');
    // someone else on this browser does not see alice's drafts
    wrapper.unmount();
    setActivePinia((pinia = createPinia()));
    useAuthStore().$patch({ userId: 'user-bob' });
    expect(mountComposer().element.value).toBe('');
  });
});
