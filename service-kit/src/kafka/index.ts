export * from './ensure-topic';
export * from './kafka-logging';
