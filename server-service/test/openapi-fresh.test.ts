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

describe('the checked-in OpenAPI spec and generated routes', () => {
  it('are what tsoa generates from the current controllers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'server-service-openapi-'));
    try {
      const fresh = await generateApi(join(__dirname, '..'), dir);
      const committedSpec = await readFile(
        join(__dirname, '../../openapi/server-service.json'),
        'utf8',
      );
      expect(JSON.parse(await readFile(fresh.spec, 'utf8'))).toEqual(JSON.parse(committedSpec));
      expect(await readFile(fresh.spec, 'utf8')).toBe(committedSpec);
      const committedRoutes = await readFile(join(__dirname, '../src/generated/routes.ts'), 'utf8');
      expect(withoutImports(await readFile(fresh.routes, 'utf8'))).toBe(
        withoutImports(committedRoutes),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
