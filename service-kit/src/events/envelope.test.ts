import { createEnvelope, EnvelopeError, parseEnvelope } from './envelope';

describe('event envelope', () => {
  it('round-trips through a Kafka message value', () => {
    const envelope = createEnvelope({
      type: 'guild.created',
      source: '/server-service',
      subject: 'guilds/1',
      data: { id: '1', name: 'Hello' },
    });
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseEnvelope(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it.each([
    ['null', null],
    ['not JSON', '{'],
    ['no id', JSON.stringify({ specversion: '1.0', type: 't' })],
    [
      'a bad time',
      JSON.stringify({
        ...createEnvelope({ type: 't', source: 's', subject: 'x', data: 1 }),
        time: 'noon',
      }),
    ],
  ])('refuses %s', (_what, value) => {
    expect(() => parseEnvelope(value)).toThrow(EnvelopeError);
  });
});
