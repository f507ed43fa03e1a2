// @echopulse/chat-contracts: the STOMP payload types chat-service sends and the web app reads
// (openapi/chat.asyncapi.yaml). Types and constants only; no module outside this folder is
// imported, so the browser bundles these sources as they are.
export * from './messages';
export * from './session';
export * from './guild-events';
export * from './headers';
