import MarkdownIt from 'markdown-it';
import type { StateInline, Token } from 'markdown-it';

export type { Token } from 'markdown-it';

/**
 * Discord's message markdown, parsed by markdown-it with everything Discord does not have turned
 * off: no raw HTML (`html: false`, and the `html_block`/`html_inline` rules disabled), no images,
 * tables, reference links, horizontal rules, setext headings, indented code or entity decoding in
 * text. What is left: `**bold**`, `*italic*`/`_italic_`, `__underline__` (markdown-it's `__`
 * strong, told apart by its markup), `~~strikethrough~~`, `||spoilers||` (a rule below), inline
 * code, fenced code blocks with a language hint, block quotes (`>` and `>>>`), headings, lists,
 * masked links `[text](https://…)`, bare http(s) links (linkify, as before), `\` escapes, and the
 * mentions `<@userId>` and `@everyone` (a rule below, so that emphasis never reaches into an id).
 *
 * This module only parses: the token stream is turned into Vue VNodes by `MessageMarkdown.ts`,
 * which never produces HTML from a string; every href is checked again there.
 */
const md = new MarkdownIt('default', {
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
});
md.disable([
  'table',
  'code',
  'hr',
  'html_block',
  'lheading',
  'reference',
  'image',
  'html_inline',
  'entity',
]);
// as content.ts did: only written-out http(s) URLs become links (no "www.x", no bare e-mail)
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.linkify.add('ftp:', null).add('//', null).add('mailto:', null);
md.validateLink = (url: string) => /^https?:\/\//i.test(url.trim());

/** The characters where markdown-it's `text` rule stops, and `|` (spoilers). */
const terminators = new Set('\n!#$%&*+-:<=>@[\\]^_`{}~|'.split('').map((c) => c.charCodeAt(0)));

md.inline.ruler.at('text', (state: StateInline, silent: boolean) => {
  let pos = state.pos;
  while (pos < state.posMax && !terminators.has(state.src.charCodeAt(pos))) pos++;
  if (pos === state.pos) return false;
  if (!silent) state.pending += state.src.slice(state.pos, pos);
  state.pos = pos;
  return true;
});

const PIPE = 0x7c;

/**
 * `||spoiler||`, after markdown-it's own strikethrough rule: each `||` is a delimiter that pairs
 * with the next one. Unlike `~~` it ignores flanking (Discord spoils `a || b || c` too).
 */
md.inline.ruler.before('emphasis', 'spoiler', (state: StateInline, silent: boolean) => {
  if (silent || state.src.charCodeAt(state.pos) !== PIPE) return false;
  let end = state.pos;
  while (end < state.posMax && state.src.charCodeAt(end) === PIPE) end++;
  let len = end - state.pos;
  if (len < 2) return false;
  if (len % 2) {
    state.push('text', '', 0).content = '|';
    len--;
  }
  for (let i = 0; i < len; i += 2) {
    state.push('text', '', 0).content = '||';
    state.delimiters.push({
      marker: PIPE,
      length: 0,
      token: state.tokens.length - 1,
      end: -1,
      open: true,
      close: true,
    });
  }
  state.pos = end;
  return true;
});

function pairSpoilers(state: StateInline, delimiters: StateInline['delimiters']) {
  for (const start of delimiters) {
    if (start.marker !== PIPE || start.end === -1) continue;
    const end = delimiters[start.end]!;
    for (const [index, type, nesting] of [
      [start.token, 'spoiler_open', 1],
      [end.token, 'spoiler_close', -1],
    ] as const) {
      const token = state.tokens[index]!;
      token.type = type;
      token.tag = 'span';
      token.nesting = nesting;
      token.markup = '||';
      token.content = '';
    }
  }
}

md.inline.ruler2.before('emphasis', 'spoiler', (state: StateInline) => {
  pairSpoilers(state, state.delimiters);
  for (const meta of state.tokens_meta) if (meta?.delimiters) pairSpoilers(state, meta.delimiters);
  return false;
});

const mention = /^<@([A-Za-z0-9_-]{1,64})>/;
const everyone = /^@everyone\b/;

/** `<@userId>` → a `mention` token (meta.userId); `@everyone` → an `everyone` token. */
md.inline.ruler.before('link', 'mention', (state: StateInline, silent: boolean) => {
  const first = state.src.charCodeAt(state.pos);
  if (first !== 0x3c && first !== 0x40) return false;
  const rest = state.src.slice(state.pos, state.posMax);
  const user = mention.exec(rest);
  const all = user ? null : everyone.exec(rest);
  const found = user ?? all;
  if (!found) return false;
  if (!silent) {
    const token = state.push(user ? 'mention' : 'everyone', '', 0);
    token.meta = user ? { userId: user[1] } : null;
    token.content = found[0];
  }
  state.pos += found[0].length;
  return true;
});

/**
 * `>>> ` quotes the rest of the message (Discord): its lines get markdown's `> `. Lines inside a
 * fenced code block are left alone.
 */
export function expandMultilineQuote(content: string): string {
  const lines = content.split('\n');
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^>>> ?/.test(line)) {
      lines[i] = line.replace(/^>>> ?/, '> ');
      for (let j = i + 1; j < lines.length; j++) lines[j] = `> ${lines[j]!}`;
      break;
    }
  }
  return lines.join('\n');
}

/** The block token stream of one message (inline tokens hold their `children`). */
export function parseMarkdown(content: string): Token[] {
  return md.parse(expandMultilineQuote(content), {});
}
