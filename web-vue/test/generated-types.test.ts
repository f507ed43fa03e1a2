import { readFileSync } from 'node:fs';
import { REGENERATE_COMMAND, REST_SERVICES, specFile, staleness } from '../scripts/generate-types';

// The REST types in src/generated are checked in: each must be what openapi-typescript makes of
// the checked-in spec (which the services' own freshness tests hold to their controllers).
describe('the generated REST types (web-vue/src/generated)', () => {
  it.each(REST_SERVICES)('%s.ts is what openapi-typescript makes of its spec', async (service) => {
    expect(await staleness(service)).toBeNull();
  });

  it('are called stale, with the command to run, once the spec changes', async () => {
    const spec = JSON.parse(readFileSync(specFile('chat-service'), 'utf8')) as {
      components: { schemas: Record<string, unknown> };
    };
    spec.components.schemas.ReactionView = { type: 'object', properties: {} };
    const message = await staleness('chat-service', JSON.stringify(spec));
    expect(message).toContain('web-vue/src/generated/chat-service.ts is stale');
    expect(message).toContain(REGENERATE_COMMAND);
  });

  it('are called missing, with the command to run, when the file is not there', async () => {
    const message = await staleness('server-service', undefined, '/nonexistent/server-service.ts');
    expect(message).toContain('is missing');
    expect(message).toContain(REGENERATE_COMMAND);
  });
});
