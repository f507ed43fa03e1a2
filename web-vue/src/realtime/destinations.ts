/**
 * chat-service's STOMP destinations (chat-service/README.md, "STOMP contract"). A topic is
 * shared by everyone allowed to read it; a `/user/queue/…` is this session's own.
 */
export const channelTopic = (channelId: string): string => `/topic/channels/${channelId}`;
export const guildTopic = (guildId: string): string => `/topic/guilds/${guildId}`;

/** Refusals of this session's frames, by `receipt-id` or `rejected-destination`. */
export const ERRORS_QUEUE = '/user/queue/errors';
/** Notices about this session: `token-expiring`, `subscription-ended`. */
export const NOTICES_QUEUE = '/user/queue/notices';
