import type { HistoryReader } from '../history/history.reader';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from './chat-message';
import { forbidden, noSuchMessage } from './refusals';
import type { ChangeRequest, MakeChange } from '../sequencing/sequencer';

/**
 * Builds the record of an edit or delete on the instance that owns the channel, while no other
 * change of it can run: the message's current state decides (a deleted message stays deleted,
 * only its author edits it, the author or a moderator deletes it).
 */
export function changeMaker(
  history: Pick<HistoryReader, 'byId'>,
  /** The state the sequencer recorded, for a message too new to be archived yet. */
  recent: (messageId: string) => Promise<ChatMessage | undefined>,
): MakeChange {
  const current = async (channelId: string, messageId: string): Promise<ChatMessage> => {
    if (!/^\d{1,20}$/.test(messageId)) throw noSuchMessage();
    const message = await history.byId(channelId, messageId, await recent(messageId));
    if (!message || message.deletedAt) throw noSuchMessage();
    return message;
  };

  return async (channelId: string, request: ChangeRequest): Promise<ChatRecord | undefined> => {
    if (request.kind === 'settle') return undefined;
    const message = await current(channelId, request.messageId);
    const now = new Date().toISOString();
    if (request.kind === 'edit') {
      if (message.author.id !== request.actorId) throw forbidden("edit others' messages");
      return {
        type: 'message.updated',
        message: {
          ...message,
          content: request.content,
          mentions: request.mentions,
          editedAt: now,
        },
      };
    }
    if (message.author.id !== request.actorId && !request.mayModerate)
      throw forbidden("delete others' messages");
    return {
      type: 'message.deleted',
      message: {
        ...message,
        content: '',
        mentions: { users: [], everyone: false },
        deletedAt: now,
      },
    };
  };
}
