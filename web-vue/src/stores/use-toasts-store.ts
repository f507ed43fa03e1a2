import { defineStore } from 'pinia';
import { errorText } from '../composables/use-api';

/** Errors shown to the person in plain words, each for a few seconds. */
export const useToastsStore = defineStore('toasts', {
  state: () => ({ items: [] as { id: number; text: string }[], next: 1 }),
  actions: {
    show(error: unknown, ms = 6000) {
      const id = this.next++;
      this.items.push({ id, text: typeof error === 'string' ? error : errorText(error) });
      setTimeout(() => this.dismiss(id), ms);
    },
    dismiss(id: number) {
      this.items = this.items.filter((t) => t.id !== id);
    },
  },
});
