/**
 * The chat benchmark's pieces other workspaces' tests may use (exported as
 * `@echopulse/bench/chat`): chat-service instances as child processes, and a STOMP chat user.
 */
export { build, startCluster } from './cluster';
export type { Cluster, ClusterOptions, ServiceProcess } from './cluster';
export { ChatUser } from './chat-user';
export type { Delivery } from './chat-user';
