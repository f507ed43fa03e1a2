export { Broker, defaultLimits } from './broker';
export type {
  Authenticate,
  BrokerLimits,
  BrokerMetrics,
  BrokerOptions,
  ConnectRequest,
  InboundInterceptor,
  OutboundInterceptor,
} from './broker';
export type { AppHandler, AppMessage } from './app-router';
export { StompError } from './errors';
export { header, supportedVersions } from './frame';
export type { Frame, HeaderList, StompVersion } from './frame';
export { FrameParser, defaultParserLimits } from './codec/parser';
export { serializeFrame, MessageTemplate } from './codec/serializer';
export { LocalRelay } from './relay';
export type { Relay, RelayMessage } from './relay';
export { Session, SessionState } from './session';
export type { AckMode, Principal, Subscription } from './session';
export { RedisRelay } from './redis-relay';
export type { RedisRelayOptions } from './redis-relay';
