import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApi } from '../../scripts/generate-api';

/** Import lines differ by where the file was generated; everything else must be identical. */
const withoutImports = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^import .* from '\.\//.test(line))
    .join('\n');

describe('the checked-in chat-service OpenAPI spec and generated routes', () => {
  it('are what tsoa generates from the current controllers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chat-service-openapi-'));
    try {
      const fresh = await generateApi(join(__dirname, '..'), dir);
      const committedSpec = await readFile(
        join(__dirname, '../../openapi/chat-service.json'),
        'utf8',
      );
      expect(await readFile(fresh.spec, 'utf8')).toBe(committedSpec);
      const committedRoutes = await readFile(join(__dirname, '../src/generated/routes.ts'), 'utf8');
      expect(withoutImports(await readFile(fresh.routes, 'utf8'))).toBe(
        withoutImports(committedRoutes),
      );
      const spec = JSON.parse(committedSpec) as { paths: Record<string, unknown> };
      expect(Object.keys(spec.paths).sort()).toEqual([
        '/channels/{channelId}/messages',
        '/channels/{channelId}/messages/{messageId}',
        '/channels/{channelId}/messages/{messageId}/reactions',
        '/channels/{channelId}/messages/{messageId}/reactions/{emoji}',
        '/channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me',
        '/channels/{channelId}/messages/{messageId}/reactions/{emoji}/{userId}',
        '/guilds/{guildId}/presence',
        '/users/@me/read-states',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
