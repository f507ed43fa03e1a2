import type { ElementContent } from 'hast';
import { defineComponent, h, shallowRef, watch, type VNodeChild } from 'vue';

/** lowlight's tree as VNodes: only `<span>`s with plain class names, and text. */
function toVNodes(nodes: ElementContent[]): VNodeChild[] {
  return nodes.map((node) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const names = node.properties.className;
    const classes = (Array.isArray(names) ? names : [])
      .map(String)
      .filter((name) => /^[\w-]+$/.test(name));
    return h('span', { class: classes }, toVNodes(node.children));
  });
}

/**
 * A fenced code block: plain text at once, then highlighted when the language's grammar has
 * loaded (`lib/code-highlight.ts`, imported lazily so that no highlighter is in the first-visit
 * bundle). Wrapped rather than scrolled, so no region needs a keyboard stop.
 */
export default defineComponent({
  name: 'MessageCodeBlock',
  props: {
    code: { type: String, required: true },
    language: { type: String, default: '' },
  },
  setup(props) {
    const tree = shallowRef<ElementContent[] | null>(null);
    watch(
      () => [props.code, props.language] as const,
      async ([code, language]) => {
        tree.value = null;
        if (!language) return;
        try {
          const { highlight } = await import('../../lib/code-highlight');
          const root = await highlight(code, language);
          if (root && props.code === code && props.language === language) {
            tree.value = root.children as ElementContent[];
          }
        } catch {
          // the grammar's chunk did not load (offline, new deployment): the block stays plain
        }
      },
      { immediate: true },
    );
    return () =>
      h('pre', { class: 'md-pre' }, [
        h(
          'code',
          {
            class: ['md-code-block', tree.value ? 'hljs' : null],
            'data-language': props.language || undefined,
          },
          tree.value ? toVNodes(tree.value) : props.code,
        ),
      ]);
  },
});
