/**
 * Generates a service's OpenAPI spec (openapi/<service>.json) and Koa routes
 * (src/generated/routes.ts) with tsoa, from the workspace's tsoa.json.
 *
 *   tsx ../scripts/generate-api.ts .                 # from a workspace: the real outputs
 *   tsx ../scripts/generate-api.ts . --out <dir>     # both into <dir> (the freshness tests compare)
 *
 * tsoa's koa template types the router as `import type * as KoaRouter from '@koa/router'`, the
 * shape of the old DefinitelyTyped package; @koa/router 15 ships its own types with a named
 * `Router` export, so the one import line is rewritten.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSpecAndRoutes } from '@tsoa/cli';

export async function generateApi(
  workspace: string,
  outDir?: string,
): Promise<{ spec: string; routes: string }> {
  const config = JSON.parse(readFileSync(join(workspace, 'tsoa.json'), 'utf8'));
  const specDir = outDir ?? resolve(workspace, config.spec.outputDirectory);
  const routesDir = outDir ?? resolve(workspace, config.routes.routesDir);
  config.entryFile = join(workspace, config.entryFile);
  config.controllerPathGlobs = config.controllerPathGlobs.map((g: string) => join(workspace, g));
  config.spec.outputDirectory = specDir;
  config.routes.routesDir = routesDir;
  config.routes.authenticationModule = join(workspace, config.routes.authenticationModule);
  config.routes.iocModule = join(workspace, config.routes.iocModule);
  if (outDir) {
    // imports in the generated file are relative to its folder; keep them pointing at src/
    config.routes.noWriteIfUnchanged = false;
  }
  await generateSpecAndRoutes({ configuration: config });
  const routes = join(routesDir, 'routes.ts');
  const text = readFileSync(routes, 'utf8').replace(
    "import type * as KoaRouter from '@koa/router';",
    "import type { Router as KoaRouter } from '@koa/router';",
  );
  writeFileSync(routes, text);
  return { spec: join(specDir, `${config.spec.specFileBaseName}.json`), routes };
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const workspace = resolve(process.argv[2] ?? '.');
  generateApi(workspace, at > 0 ? process.argv[at + 1] : undefined).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
