import { onBeforeUnmount, onMounted } from 'vue';
import { ChatSession, type ChatSessionOptions } from '../realtime/chat-session';

/**
 * The real-time session of the component that calls it (ChatView), for as long as it is mounted:
 * started on mount, stopped on unmount, dropped at once when the browser goes offline and
 * reconnected when it is back, idle while the tab is hidden.
 */
export function useChatSession(options: ChatSessionOptions): ChatSession {
  const session = new ChatSession(options);
  const onOffline = () => session.goOffline();
  const onOnline = () => session.goOnline();
  const onVisibility = () =>
    session.setPresence(document.visibilityState === 'hidden' ? 'idle' : 'online');
  onMounted(() => {
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisibility);
    session.start();
  });
  onBeforeUnmount(() => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onVisibility);
    void session.stop();
  });
  return session;
}
