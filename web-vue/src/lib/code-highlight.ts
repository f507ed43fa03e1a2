import type { LanguageFn } from 'highlight.js';
import type { Root } from 'hast';
import { createLowlight } from 'lowlight';

/**
 * Syntax highlighting of fenced code blocks, loaded only when a message has one (the code block
 * imports this module lazily): lowlight runs highlight.js's core and gives a tree (hast) rather
 * than an HTML string, which `MessageCodeBlock.ts` turns into `<span class="hljs-…">` VNodes.
 * Each language's grammar is its own chunk, fetched the first time a block names it; a hint that
 * is not listed here leaves the block plain.
 */
const grammars: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  php: () => import('highlight.js/lib/languages/php'),
  python: () => import('highlight.js/lib/languages/python'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

const aliases: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  html: 'xml',
  svg: 'xml',
  yml: 'yaml',
  'c++': 'cpp',
  cs: 'csharp',
  rs: 'rust',
  golang: 'go',
  md: 'markdown',
  kt: 'kotlin',
  rb: 'ruby',
};

/** The grammar a code block's hint names (`js`, `TypeScript`…), or null. */
export function languageOf(hint: string): string | null {
  const name = hint.trim().toLowerCase();
  const language = aliases[name] ?? name;
  return Object.hasOwn(grammars, language) ? language : null;
}

const lowlight = createLowlight();
const loading = new Map<string, Promise<void>>();

/** The highlighted tree of `code` in the language `hint` names, or null if none is known. */
export async function highlight(code: string, hint: string): Promise<Root | null> {
  const language = languageOf(hint);
  if (!language) return null;
  let loaded = loading.get(language);
  if (!loaded) {
    loaded = grammars[language]!().then((grammar) => lowlight.register(language, grammar.default));
    loading.set(language, loaded);
  }
  await loaded;
  return lowlight.highlight(language, code);
}
