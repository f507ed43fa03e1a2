import type { Notice } from '../lib/types';
import { useAuthStore } from '../stores/use-auth-store';
import type { StompConnection, Watch } from './stomp-connection';

/**
 * The notices queue: a token about to expire is renewed (the auth store's listener then pushes
 * it), and a subscription chat-service ended (kicked, channel hidden) is reported as access lost.
 */
export function noticesWatch(connection: StompConnection): Watch {
  return {
    onMessage: (frame) => {
      const notice = JSON.parse(frame.body) as Notice;
      if (notice.type === 'token-expiring') {
        void useAuthStore().refresh();
      } else if (notice.type === 'subscription-ended' && notice.destination) {
        connection.ended(notice.destination, notice.reason ?? 'ended');
      }
    },
  };
}
