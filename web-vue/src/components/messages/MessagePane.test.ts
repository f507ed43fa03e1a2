/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { provideApi } from '../../composables/use-api';
import { FrameRejection, provideTransport } from '../../lib/transport';
import { fakeApis } from '../../testing/fake-api';
import type { ChatMessage } from '../../lib/types';
import { useMessagesStore } from '../../stores/use-messages-store';
import { useReadStatesStore } from '../../stores/use-read-states-store';
import { ALICE, BOB, channel, member, message, role } from '../../testing/factories';
import { bits, OWNER, seedGuild } from '../../testing/guild-fixture';
import { RecordingTransport } from '../../testing/recording-transport';
import MessagePane from './MessagePane.vue';

const at = (day: number, hour: number, minute: number) =>
  new Date(2026, 0, day, hour, minute).toISOString();

/**
 * The message list as a person sees it: grouping by author, day separators, the "new" divider,
 * and which messages offer Edit and Delete.
 */
describe('MessagePane', () => {
  let pinia: Pinia;
  let transport: RecordingTransport;
  let wrapper: VueWrapper;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    transport = new RecordingTransport();
    provideTransport(transport);
    jest.spyOn(window, 'confirm').mockReturnValue(true);
  });

  afterEach(() => {
    wrapper?.unmount();
    provideTransport(null);
    provideApi(null);
    jest.restoreAllMocks();
  });

  /** The channel c1 as loaded from history, then the pane mounted on it. */
  async function open(messages: ChatMessage[], lastReadSeq?: number) {
    const store = useMessagesStore();
    for (const m of messages) store.ingest('message.created', m);
    Object.assign(store.ensure('c1'), { loaded: true, hasMoreBefore: false });
    if (lastReadSeq !== undefined) {
      const last = messages.at(-1)?.seq ?? 0;
      useReadStatesStore().byChannel.c1 = {
        channelId: 'c1',
        guildId: 'g1',
        lastReadSeq,
        lastSeq: last,
        unreadCount: last - lastReadSeq,
        mentionCount: 0,
      };
    }
    wrapper = mount(MessagePane, {
      props: { channelId: 'c1' },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    await flushPromises();
  }

  /** The list, row by row: `day`, `new`, or author (`-` when grouped under the one above): content. */
  function rows(): string[] {
    return wrapper.get('[data-testid="message-list"]').element.children.length
      ? [...wrapper.get('[data-testid="message-list"]').element.children].flatMap((el) => {
          if (el.classList.contains('day')) return ['day'];
          if (el.classList.contains('new-divider')) return ['new'];
          if (el.tagName !== 'ARTICLE') return [];
          const author = el.querySelector('.author')?.textContent ?? '-';
          return [`${author}: ${el.querySelector('[data-testid="message-content"]')?.textContent}`];
        })
      : [];
  }

  const article = (content: string): DOMWrapper<Element> =>
    wrapper.findAll('article').find((a) => a.text().includes(content))!;

  describe('layout', () => {
    beforeEach(() =>
      seedGuild(pinia, {
        members: [member(ALICE), member(BOB), member(OWNER)],
      }),
    );

    it('groups consecutive messages of one author within 7 minutes under one header', async () => {
      await open([
        message(1, { content: 'one', createdAt: at(5, 10, 0) }),
        message(2, { content: 'two', createdAt: at(5, 10, 6) }),
        message(3, { content: 'three', createdAt: at(5, 10, 14) }), // 8 minutes later
        message(4, {
          content: 'mine',
          createdAt: at(5, 10, 15),
          author: { id: ALICE, username: 'alice' },
        }),
        message(5, { content: 'back', createdAt: at(5, 10, 16) }),
      ]);
      expect(rows()).toEqual([
        'day',
        'bob: one',
        '-: two',
        'bob: three',
        'alice: mine',
        'bob: back',
      ]);
    });

    it('puts a day separator where the date changes, and starts a new group there', async () => {
      await open([
        message(1, { content: 'late', createdAt: at(5, 23, 58) }),
        message(2, { content: 'early', createdAt: at(6, 0, 1) }),
      ]);
      expect(rows()).toEqual(['day', 'bob: late', 'day', 'bob: early']);
      const days = wrapper.findAll('.day').map((d) => d.text());
      expect(days[0]).not.toBe(days[1]);
      expect(days[1]).toContain('2026');
    });

    it('draws "new" after the last message read when the channel was opened, and marks it read', async () => {
      await open(
        [1, 2, 3, 4].map((seq) => message(seq, { content: `m${seq}`, createdAt: at(5, 10, seq) })),
        2,
      );
      expect(rows()).toEqual(['day', 'bob: m1', '-: m2', 'new', 'bob: m3', '-: m4']);
      expect(wrapper.find('[role="separator"][aria-label="New messages"]').exists()).toBe(true);
      // the newest message is on screen: read up to it, but the divider stays where it was
      expect(transport.reads).toEqual([{ channelId: 'c1', seq: 4 }]);
      expect(useReadStatesStore().lastRead('c1')).toBe(4);
      expect(rows()).toContain('new');
    });

    it('issue #12 bug 2: draws no "new" above my own messages, only above the first from someone else', async () => {
      seedGuild(pinia);
      const mine = { author: { id: ALICE, username: 'alice' } };
      await open(
        [
          message(1, { content: 'm1', createdAt: at(5, 10, 0) }),
          message(2, { ...mine, content: 'mine', createdAt: at(5, 10, 1) }),
        ],
        1,
      );
      expect(rows()).not.toContain('new');
      wrapper.unmount();
      setActivePinia((pinia = createPinia()));
      seedGuild(pinia);
      await open(
        [
          message(1, { content: 'm1', createdAt: at(5, 10, 0) }),
          message(2, { ...mine, content: 'mine', createdAt: at(5, 10, 1) }),
          message(3, { content: 'from bob', createdAt: at(5, 10, 2) }),
        ],
        1,
      );
      expect(rows()).toEqual(['day', 'bob: m1', 'alice: mine', 'new', 'bob: from bob']);
    });

    it('draws no divider when everything was read', async () => {
      await open(
        [message(1, { createdAt: at(5, 10, 0) }), message(2, { createdAt: at(5, 10, 1) })],
        2,
      );
      expect(rows()).not.toContain('new');
    });
  });

  describe('edit and delete', () => {
    const history = () => [
      message(1, { content: 'from bob', createdAt: at(5, 10, 0) }),
      message(2, {
        content: 'from me',
        createdAt: at(5, 10, 1),
        author: { id: ALICE, username: 'alice' },
      }),
    ];
    const tools = (content: string) =>
      article(content)
        .findAll('.tools button')
        .map((b) => b.attributes('aria-label'));

    it('offers Edit and Delete on my own messages only, without MANAGE_MESSAGES', async () => {
      seedGuild(pinia);
      await open(history());
      expect(tools('from me')).toEqual(['Edit message', 'Delete message']);
      expect(tools('from bob')).toEqual([]);
    });

    it("offers Delete (not Edit) on others' messages with MANAGE_MESSAGES", async () => {
      seedGuild(pinia, {
        roles: [role('mods', bits('MANAGE_MESSAGES'))],
        members: [member(ALICE, { roleIds: ['mods'] }), member(BOB), member(OWNER)],
      });
      await open(history());
      expect(tools('from bob')).toEqual(['Delete message']);
      await article('from bob').get('[aria-label="Delete message"]').trigger('click');
      await flushPromises();
      expect(transport.deletes).toEqual([{ channelId: 'c1', messageId: 'm1' }]);
    });

    it('follows a channel overwrite that denies MANAGE_MESSAGES to my role', async () => {
      seedGuild(pinia, {
        roles: [role('mods', bits('MANAGE_MESSAGES'))],
        members: [member(ALICE, { roleIds: ['mods'] }), member(BOB), member(OWNER)],
        channels: [
          channel({
            overwrites: [
              { id: 'mods', type: 'role', allow: '0', deny: bits('MANAGE_MESSAGES').toString() },
            ],
          }),
        ],
      });
      await open(history());
      expect(tools('from bob')).toEqual([]);
    });

    it('offers nothing on a message still pending', async () => {
      seedGuild(pinia);
      await open(history());
      transport.sendMessage = () => new Promise(() => undefined); // never confirmed
      void useMessagesStore().send('c1', 'g1', 'on its way');
      await flushPromises();
      expect(article('on its way').attributes('data-testid')).toBe('message-pending');
      expect(tools('on its way')).toEqual([]);
    });

    it('edits my last message on Up in the empty composer, and saves it on Enter', async () => {
      seedGuild(pinia);
      await open(history());
      await wrapper.get('[data-testid="composer"]').trigger('keydown', { key: 'ArrowUp' });
      await flushPromises();
      const editor = wrapper.get('article[data-seq="2"] textarea[aria-label="Edit message"]');
      expect((editor.element as HTMLTextAreaElement).value).toBe('from me');
      await editor.setValue('from me, edited');
      await editor.trigger('keydown', { key: 'Enter' });
      await flushPromises();
      expect(transport.edits).toEqual([
        { channelId: 'c1', messageId: 'm2', content: 'from me, edited' },
      ]);
      expect(wrapper.find('textarea[aria-label="Edit message"]').exists()).toBe(false);
    });
  });

  describe('issue #12 bug 1: an older page arriving keeps the reader in place', () => {
    /**
     * jsdom has no layout: the list gets one of 100 px per row and a scrollTop that, like
     * Chromium's scroll anchoring (`anchoring`), moves by the height added above the view when
     * layout is next read. Either way what the reader looked at must stay in place.
     */
    async function scrollUpIntoHistory(anchoring: boolean) {
      seedGuild(pinia);
      const apis = fakeApis();
      const older = Array.from({ length: 10 }, (_, i) =>
        message(i + 1, { content: `old ${i + 1}`, createdAt: at(5, 9, i) }),
      );
      apis.chat.on('GET /channels/c1/messages?before=11&limit=50', older);
      provideApi(apis);
      const newer = Array.from({ length: 10 }, (_, i) =>
        message(i + 11, { content: `new ${i + 11}`, createdAt: at(5, 10, i) }),
      );
      await open(newer);
      useMessagesStore().ensure('c1').hasMoreBefore = true;
      const list = wrapper.get('[data-testid="message-list"]').element as HTMLElement;
      const height = () => list.querySelectorAll('article').length * 100;
      let top = 0;
      let heightSeen = height();
      Object.defineProperty(list, 'scrollHeight', { get: height, configurable: true });
      Object.defineProperty(list, 'clientHeight', { get: () => 400, configurable: true });
      Object.defineProperty(list, 'scrollTop', {
        configurable: true,
        get: () => {
          if (anchoring) top += height() - heightSeen;
          heightSeen = height();
          return top;
        },
        set: (v: number) => {
          heightSeen = height();
          top = Math.max(0, Math.min(v, height() - 400));
        },
      });
      list.scrollTop = 150; // reading "new 12", the second row
      await wrapper.get('[data-testid="message-list"]').trigger('scroll');
      await flushPromises();
      await flushPromises();
      expect(useMessagesStore().visible('c1')).toHaveLength(20);
      // ten rows of 100 px came above: "new 12" is still 50 px into the view
      expect(list.scrollTop).toBe(1150);
    }

    it('with the browser anchoring the scroll position itself', () => scrollUpIntoHistory(true));
    it('without it (overflow-anchor: none, or a browser without anchoring)', () =>
      scrollUpIntoHistory(false));
  });

  it('issue #12 bug 3: shows one "Sending slowly… N queued" state while refused for rate', async () => {
    seedGuild(pinia);
    const store = useMessagesStore();
    let refuse!: () => void;
    transport.sendMessage = (channelId, body) => {
      transport.sends.push({ channelId, ...body });
      return new Promise((_, reject) => {
        refuse = () => reject(new FrameRejection('rate_limited', 'slow down', 100));
      });
    };
    await open([message(1, { createdAt: at(5, 10, 0) })]);
    void store.send('c1', 'g1', 'a');
    void store.send('c1', 'g1', 'b');
    void store.send('c1', 'g1', 'c');
    refuse();
    await flushPromises();
    expect(wrapper.get('[data-testid="send-queue"]').text()).toBe('Sending slowly… 3 queued');
    expect(wrapper.findAll('.failed')).toHaveLength(0);
    expect(wrapper.text()).not.toContain('Retry');
    for (const m of [...store.channel('c1').pending]) store.discard('c1', m.nonce!);
    await new Promise((r) => setTimeout(r, 150)); // the wait ends and finds nothing left to send
    expect(transport.sends).toHaveLength(1);
  });

  it('disables the composer where a channel overwrite denies me SEND_MESSAGES', async () => {
    seedGuild(pinia, {
      channels: [
        channel({
          overwrites: [
            { id: ALICE, type: 'member', allow: '0', deny: bits('SEND_MESSAGES').toString() },
          ],
        }),
      ],
    });
    await open([]);
    expect(wrapper.get('[data-testid="composer"]').attributes('disabled')).toBeDefined();
  });
});
