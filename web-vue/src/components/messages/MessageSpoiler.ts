import { defineComponent, h, ref } from 'vue';

/**
 * A `||spoiler||`: hidden until clicked, or activated from the keyboard (Enter or Space), as a
 * button. While hidden its content is `inert` (neither focusable, clickable nor read out, so a
 * link inside cannot be followed unseen) and the button says what it is; once shown it is plain
 * text again and stays shown.
 */
export default defineComponent({
  name: 'MessageSpoiler',
  setup(_, { slots }) {
    const shown = ref(false);
    const show = () => {
      shown.value = true;
    };
    return () =>
      shown.value
        ? h('span', { class: 'md-spoiler md-spoiler-shown' }, slots.default?.())
        : h(
            'span',
            {
              class: 'md-spoiler',
              role: 'button',
              tabindex: 0,
              onClick: show,
              onKeydown: (event: KeyboardEvent) => {
                if (event.key !== 'Enter' && event.key !== ' ') return;
                event.preventDefault();
                show();
              },
            },
            [
              // the button's name, from its content (the hidden text is inert, so not part of it);
              // an aria-label instead would differ from the visible text (axe:
              // label-content-name-mismatch)
              h('span', { class: 'sr-only' }, 'Spoiler, hidden: activate to show it'),
              h('span', { class: 'md-spoiler-content', inert: true }, slots.default?.()),
            ],
          );
  },
});
