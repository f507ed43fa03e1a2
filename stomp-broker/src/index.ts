// Public API of @echopulse/stomp-broker.
export { Broker } from './broker';
export type { AppHandler, AppMessage, Listening } from './broker';
export type { BrokerOptions } from './options';
export { defaultLimits } from './limits';
export type { BrokerLimits } from './limits';
export type { BrokerMetrics } from './metrics';
export type {
  Authenticate,
  BrokerEvents,
  ConnectRequest,
  InboundInterceptor,
  OutboundChange,
  OutboundInterceptor,
  OutboundMessage,
} from './hooks';
export type { AppRequest } from './app-router';
export { BrokerError, ErrorCode, FrameRejection, StompError } from './errors';
export type { Rejection } from './errors';
export { clientCommands, header, supportedVersions } from './frame';
export type { ClientCommand, Frame, HeaderList, ServerCommand, StompVersion } from './frame';
export { FrameParser, ParseState, defaultParserLimits } from './codec/parser';
export type { ParserLimits } from './codec/parser';
export { MessageTemplate, serializeFrame } from './codec/serializer';
export { escapeHeader, unescapeHeader } from './codec/escape';
export { Session, SessionState, Subscription } from './session';
export type { AckMode, Principal } from './session';
export type { ConnectionInfo, Transport, TransportSink } from './transport/transport';
export { WsTransport } from './transport/ws-transport';
export { memoryPair, MemoryClient, MemoryTransport } from './transport/memory-transport';
export type { MemoryMessage } from './transport/memory-transport';
export { LocalRelay } from './relay';
export type { Relay, RelayMessage } from './relay';
export { RedisRelay } from './redis-relay';
export type { RedisRelayOptions } from './redis-relay';
