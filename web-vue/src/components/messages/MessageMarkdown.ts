import { computed, defineComponent, h, type VNodeChild } from 'vue';
import { safeHref } from '../../lib/content';
import { parseMarkdown, type Token } from '../../lib/markdown';
import { useMembersStore } from '../../stores/use-members-store';
import MessageCodeBlock from './MessageCodeBlock';
import MessageSpoiler from './MessageSpoiler';

interface Context {
  guildId: string;
  nameOf: (guildId: string, userId: string) => string;
  confirmLink: (href: string) => void;
}

const REL = 'noopener noreferrer nofollow';

/**
 * The element an opening token stands for, around its rendered children. Every tag is one of a
 * fixed list and every attribute is set here: nothing of the token's own `attrs` is copied but a
 * link's href, and that only once `safeHref` has said it is http(s). An unknown token renders its
 * children alone.
 */
function element(open: Token, children: VNodeChild[], ctx: Context): VNodeChild {
  switch (open.type) {
    case 'paragraph_open':
      // markdown-it hides the paragraphs of a tight list's items
      return open.hidden ? children : h('p', { class: 'md-p' }, children);
    case 'heading_open': {
      const level = open.markup.length;
      // Discord has three levels; `####` stays text
      return level <= 3
        ? h(`h${level}`, { class: 'md-h' }, children)
        : h('p', { class: 'md-p' }, [`${open.markup} `, ...children]);
    }
    case 'blockquote_open':
      return h('blockquote', { class: 'md-quote' }, children);
    case 'bullet_list_open':
      return h('ul', { class: 'md-list' }, children);
    case 'ordered_list_open': {
      const start = Number(open.attrGet('start') ?? 1);
      return h(
        'ol',
        { class: 'md-list', start: Number.isSafeInteger(start) ? start : 1 },
        children,
      );
    }
    case 'list_item_open':
      return h('li', children);
    case 'strong_open':
      // markdown-it reads `__x__` as strong; Discord underlines it
      return h(open.markup === '__' ? 'u' : 'strong', children);
    case 'em_open':
      return h('em', children);
    case 's_open':
      return h('s', children);
    case 'spoiler_open':
      return h(MessageSpoiler, null, { default: () => children });
    case 'link_open': {
      const href = safeHref(String(open.attrGet('href') ?? ''));
      if (!href) return children;
      // a bare or <…> URL shows its address already; a masked one is confirmed first
      const masked = open.markup !== 'linkify' && open.markup !== 'autolink';
      return h(
        'a',
        {
          href,
          target: '_blank',
          rel: REL,
          class: masked ? 'md-masked-link' : undefined,
          title: masked ? href : undefined,
          onClick: masked
            ? (event: MouseEvent) => {
                event.preventDefault();
                ctx.confirmLink(href);
              }
            : undefined,
        },
        children,
      );
    }
    default:
      return children;
  }
}

/** A token without children of its own in the stream (nesting 0). */
function leaf(token: Token, ctx: Context): VNodeChild {
  switch (token.type) {
    case 'text':
      return token.content;
    case 'softbreak':
    case 'hardbreak':
      return h('br');
    case 'code_inline':
      return h('code', { class: 'md-code' }, token.content);
    case 'fence':
    case 'code_block':
      return h(MessageCodeBlock, {
        // the newline before the closing fence ends the last line; it is not an empty one
        code: token.content.replace(/\n$/, ''),
        language: token.info.trim().split(/\s+/)[0] ?? '',
      });
    case 'inline':
      return render(token.children ?? [], ctx);
    case 'mention':
      return h(
        'span',
        { class: 'mention' },
        `@${ctx.nameOf(ctx.guildId, (token.meta as { userId: string }).userId)}`,
      );
    case 'everyone':
      return h('span', { class: 'mention' }, '@everyone');
    default:
      // anything else markdown-it might produce is shown as the text it holds, never as markup
      return token.content;
  }
}

/** markdown-it's flat stream (open, …, close) as a tree of VNodes. */
export function render(tokens: Token[], ctx: Context): VNodeChild[] {
  const root: VNodeChild[] = [];
  const stack: { open: Token; children: VNodeChild[] }[] = [];
  const top = () => stack[stack.length - 1]?.children ?? root;
  for (const token of tokens) {
    if (token.nesting === 1) {
      stack.push({ open: token, children: [] });
    } else if (token.nesting === -1) {
      const frame = stack.pop();
      if (frame) top().push(element(frame.open, frame.children, ctx));
    } else {
      top().push(leaf(token, ctx));
    }
  }
  // an opening token without its closing one (markdown-it always closes them): keep the text
  while (stack.length) {
    const frame = stack.pop()!;
    top().push(...frame.children);
  }
  return root;
}

/**
 * A message's content rendered as Discord's markdown (see `lib/markdown.ts` for what is parsed),
 * built as VNodes from the token stream: no HTML string is ever parsed, so nothing a user types
 * becomes an element, attribute or URL other than those `element` and `leaf` make.
 * A masked link's click is not followed: `confirm-link` asks the parent to show its address first.
 */
export default defineComponent({
  name: 'MessageMarkdown',
  props: {
    content: { type: String, required: true },
    guildId: { type: String, required: true },
  },
  emits: { 'confirm-link': (href: string) => typeof href === 'string' },
  setup(props, { emit }) {
    const members = useMembersStore();
    const tokens = computed(() => parseMarkdown(props.content));
    return () =>
      h(
        'div',
        { class: 'md' },
        render(tokens.value, {
          guildId: props.guildId,
          nameOf: (guildId, userId) => members.nameOf(guildId, userId),
          confirmLink: (href) => emit('confirm-link', href),
        }),
      );
  },
});
