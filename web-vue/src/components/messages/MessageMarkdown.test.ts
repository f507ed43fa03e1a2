/**
 * @jest-environment jsdom
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { useMembersStore } from '../../stores/use-members-store';
import { member } from '../../testing/factories';
import { xssVectors } from '../../testing/xss-vectors';
import MessageContent from './MessageContent.vue';

/** What the renderer may make, and nothing else. */
const allowedTags = new Set([
  'DIV',
  'P',
  'H1',
  'H2',
  'H3',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'STRONG',
  'EM',
  'U',
  'S',
  'SPAN',
  'A',
  'CODE',
  'PRE',
  'BR',
]);
const allowedAttributes = new Set([
  'class',
  'href',
  'target',
  'rel',
  'title',
  'role',
  'tabindex',
  'aria-label',
  'start',
  'data-language',
  'inert',
]);

describe('MessageContent (markdown)', () => {
  let pinia: Pinia;
  let wrapper: VueWrapper;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useMembersStore().byGuild.g1 = [member('user-bob', { displayName: 'Bob' })];
  });

  afterEach(() => wrapper?.unmount());

  function show(content: string) {
    wrapper = mount(MessageContent, {
      props: { content, guildId: 'g1' },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    return wrapper;
  }

  const md = () => wrapper.get('.md').element;

  it('renders bold, italic, underline, strikethrough and inline code', () => {
    show('**bold** *it* _it2_ __under__ ~~gone~~ `code`');
    expect(md().querySelector('strong')?.textContent).toBe('bold');
    expect([...md().querySelectorAll('em')].map((e) => e.textContent)).toEqual(['it', 'it2']);
    expect(md().querySelector('u')?.textContent).toBe('under');
    expect(md().querySelector('s')?.textContent).toBe('gone');
    expect(md().querySelector('code')?.textContent).toBe('code');
  });

  it('nests ***bold italic*** and leaves an unclosed ** as text', () => {
    show('***both*** and **unclosed');
    expect(md().querySelector('em strong, strong em')?.textContent).toBe('both');
    expect(md().querySelectorAll('strong')).toHaveLength(1);
    expect(md().textContent).toBe('both and **unclosed');
  });

  it('keeps markup inside inline code as text', () => {
    show('`**not bold**` and `<b>nor this</b>`');
    expect([...md().querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      '**not bold**',
      '<b>nor this</b>',
    ]);
    expect(md().querySelector('strong, b')).toBeNull();
  });

  it('shows \\-escaped markers as they are', () => {
    show('\\*escaped\\* \\_too\\_ \\|\\|no spoiler\\|\\|');
    expect(md().querySelector('em, .md-spoiler')).toBeNull();
    expect(md().textContent).toBe('*escaped* _too_ ||no spoiler||');
  });

  it('hides a spoiler, with markdown inside, until it is clicked', async () => {
    show('||spoiler with **bold**||');
    const spoiler = wrapper.get('[role="button"].md-spoiler');
    expect(spoiler.attributes('aria-label')).toBeUndefined();
    expect(spoiler.get('.sr-only').text()).toBe('Spoiler, hidden: activate to show it');
    expect(spoiler.get('.md-spoiler-content').attributes('inert')).toBeDefined();
    expect(spoiler.get('strong').text()).toBe('bold');
    await spoiler.trigger('click');
    expect(wrapper.find('[role="button"]').exists()).toBe(false);
    expect(wrapper.get('.md-spoiler-shown').text()).toBe('spoiler with bold');
    expect(wrapper.find('[inert]').exists()).toBe(false);
  });

  it('shows a spoiler from the keyboard (Enter or Space), not on other keys', async () => {
    show('||one|| ||two||');
    const [one, two] = wrapper.findAll('[role="button"]');
    expect(one!.attributes('tabindex')).toBe('0');
    await one!.trigger('keydown', { key: 'a' });
    expect(wrapper.findAll('[role="button"]')).toHaveLength(2);
    await one!.trigger('keydown', { key: 'Enter' });
    await two!.trigger('keydown', { key: ' ' });
    expect(wrapper.findAll('.md-spoiler-shown').map((s) => s.text())).toEqual(['one', 'two']);
  });

  it('highlights a fenced code block with a language hint once its grammar has loaded', async () => {
    show('```js\nconst answer = 42; // **not bold**\n```');
    const code = wrapper.get('pre code');
    expect(code.attributes('data-language')).toBe('js');
    expect(code.element.textContent).toBe('const answer = 42; // **not bold**');
    expect(code.text()).toBe('const answer = 42; // **not bold**');
    for (let i = 0; i < 20 && !code.find('.hljs-keyword').exists(); i++) await flushPromises();
    expect(code.get('.hljs-keyword').text()).toBe('const');
    expect(code.get('.hljs-comment').text()).toBe('// **not bold**');
    expect(code.text()).toBe('const answer = 42; // **not bold**');
    expect(wrapper.find('strong').exists()).toBe(false);
  });

  it('leaves a block with an unknown or no language plain', async () => {
    show('```nosuchlang\nx = 1\n```\n```\nplain\n```');
    await flushPromises();
    const blocks = wrapper.findAll('pre code');
    expect(blocks.map((b) => b.text())).toEqual(['x = 1', 'plain']);
    expect(wrapper.find('pre span').exists()).toBe(false);
  });

  it('renders > and >>> quotes, # headings (three levels) and lists', () => {
    show('# One\n## Two\n### Three\n#### four\n> quoted\n\n- a\n- b\n\n1. x\n2. y');
    expect(md().querySelector('h1')?.textContent).toBe('One');
    expect(md().querySelector('h2')?.textContent).toBe('Two');
    expect(md().querySelector('h3')?.textContent).toBe('Three');
    expect(md().querySelector('h4')).toBeNull();
    expect(md().textContent).toContain('#### four');
    expect(md().querySelector('blockquote')?.textContent).toBe('quoted');
    expect([...md().querySelectorAll('ul li')].map((l) => l.textContent)).toEqual(['a', 'b']);
    expect([...md().querySelectorAll('ol li')].map((l) => l.textContent)).toEqual(['x', 'y']);
    show('before\n>>> all\nof **this**\n\nand this');
    const quote = md().querySelector('blockquote');
    expect(quote?.textContent).toBe('allof thisand this');
    expect(quote?.querySelector('strong')?.textContent).toBe('this');
    expect(md().firstElementChild?.textContent).toBe('before');
  });

  it('keeps mentions, @everyone and bare links working inside markdown', () => {
    show('**hi <@user-bob>** @everyone see https://example.com/a_b_c. <@user-x_y_z>');
    expect(md().querySelector('strong .mention')?.textContent).toBe('@Bob');
    expect([...md().querySelectorAll('.mention')].map((m) => m.textContent)).toEqual([
      '@Bob',
      '@everyone',
      '@unknown user',
    ]);
    const link = wrapper.get('a');
    expect(link.attributes('href')).toBe('https://example.com/a_b_c');
    expect(link.text()).toBe('https://example.com/a_b_c');
    expect(link.attributes('rel')).toBe('noopener noreferrer nofollow');
    expect(link.attributes('target')).toBe('_blank');
    expect(md().textContent).toContain('a_b_c. @unknown user');
  });

  it('shows the real address of a masked link before leaving, in a dialog', async () => {
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    show('[totally safe](https://evil.example/phish?x=1)');
    const link = wrapper.get('a.md-masked-link');
    expect(link.text()).toBe('totally safe');
    expect(link.attributes('href')).toBe('https://evil.example/phish?x=1');
    expect(link.attributes('rel')).toBe('noopener noreferrer nofollow');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.element.dispatchEvent(click);
    await flushPromises();
    expect(click.defaultPrevented).toBe(true);
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.attributes('aria-modal')).toBe('true');
    expect(dialog.get('h2').text()).toBe('Leaving EchoPulse');
    expect(dialog.get('[data-testid="leaving-address"]').text()).toBe(
      'https://evil.example/phish?x=1',
    );
    expect(open).not.toHaveBeenCalled();
    await dialog.get('[data-testid="leaving-visit"]').trigger('click');
    expect(open).toHaveBeenCalledWith(
      'https://evil.example/phish?x=1',
      '_blank',
      'noopener,noreferrer',
    );
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    open.mockRestore();
  });

  it('closes the link dialog with Go back, and with Esc, opening nothing', async () => {
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    show('[x](https://example.com/)');
    await wrapper.get('a').trigger('click');
    await wrapper.get('button.secondary').trigger('click');
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    await wrapper.get('a').trigger('click');
    await wrapper.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(open).not.toHaveBeenCalled();
    open.mockRestore();
  });

  it('makes no link of a masked link to anything but http(s)', () => {
    show('[a](javascript:alert(1)) [b](mailto:x@example.com) [c](ftp://example.com/)');
    expect(wrapper.find('a').exists()).toBe(false);
    expect(md().textContent).toBe(
      '[a](javascript:alert(1)) [b](mailto:x@example.com) [c](ftp://example.com/)',
    );
  });

  it.each(xssVectors.map((v) => [v]))(
    'produces no script, handler, style, resource or foreign URL from %j',
    async (payload) => {
      show(payload);
      await flushPromises();
      const root = md();
      for (const el of [root, ...root.querySelectorAll('*')]) {
        expect(allowedTags).toContain(el.tagName);
        for (const { name, value } of el.attributes) {
          // data-v-…: the scope attribute of MessageContent's scoped style, without a value
          if (/^data-v-[0-9a-f]+$/.test(name) && value === '') continue;
          expect(allowedAttributes).toContain(name);
          if (name === 'href') expect(new URL(value).protocol).toMatch(/^https?:$/);
        }
      }
      // the payload's own text is still shown (as text), not dropped
      expect(root.textContent?.length).toBeGreaterThan(0);
    },
  );
});
