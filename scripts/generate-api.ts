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
 *
 * tsoa.json's `problemResponses` (not a tsoa option, taken out before tsoa sees the config) names
 * the problem responses added to the spec's operations (service-kit/src/openapi), so the
 * controllers do not each repeat the same `@Response` decorators.
 *
 * web-vue's REST types are generated from the spec (web-vue/scripts/generate-types.ts): after the
 * real outputs are written, web-vue/src/generated/<spec>.ts is regenerated too (written only when
 * it changed), so a changed spec and the types the browser compiles against go together.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { generateSpecAndRoutes } from '@tsoa/cli';
import {
  addProblemResponses,
  type ProblemResponsesConfig,
} from '../service-kit/src/openapi/problem-responses';

/**
 * Moves `from` over `to` only when the content differs: readers never see a half-written file.
 * True when it moved.
 */
function replaceIfChanged(from: string, to: string): boolean {
  const fresh = readFileSync(from, 'utf8');
  if (existsSync(to) && readFileSync(to, 'utf8') === fresh) return false;
  renameSync(from, to);
  return true;
}

export async function generateApi(
  workspace: string,
  outDir?: string,
): Promise<{ spec: string; routes: string }> {
  const config = JSON.parse(readFileSync(join(workspace, 'tsoa.json'), 'utf8'));
  // Ours, not tsoa's: taken out before tsoa sees the config.
  const problemResponses: ProblemResponsesConfig = config.problemResponses ?? {};
  delete config.problemResponses;
  const specDir = resolve(workspace, config.spec.outputDirectory);
  const routesDir = resolve(workspace, config.routes.routesDir);
  const specName = `${config.spec.specFileBaseName}.json`;
  // Generated beside the real folder (same depth, so the routes' relative imports hold) or into
  // outDir; the real outputs are then swapped in whole, and only when they changed, since tests
  // read them while `npm start` in another process may be regenerating.
  const tmpRoutesDir = outDir ?? join(dirname(routesDir), `.${basename(routesDir)}-${process.pid}`);
  const tmpSpecDir = outDir ?? tmpRoutesDir;
  config.entryFile = join(workspace, config.entryFile);
  config.controllerPathGlobs = config.controllerPathGlobs.map((g: string) => join(workspace, g));
  config.spec.outputDirectory = tmpSpecDir;
  config.routes.routesDir = tmpRoutesDir;
  config.routes.authenticationModule = join(workspace, config.routes.authenticationModule);
  config.routes.iocModule = join(workspace, config.routes.iocModule);
  config.routes.noWriteIfUnchanged = false;
  mkdirSync(tmpRoutesDir, { recursive: true });
  try {
    await generateSpecAndRoutes({ configuration: config });
    const specFile = join(tmpSpecDir, specName);
    const spec = JSON.parse(readFileSync(specFile, 'utf8'));
    addProblemResponses(spec, problemResponses);
    writeFileSync(specFile, JSON.stringify(spec, null, '\t'));
    const routes = join(tmpRoutesDir, 'routes.ts');
    const text = readFileSync(routes, 'utf8').replace(
      "import type * as KoaRouter from '@koa/router';",
      "import type { Router as KoaRouter } from '@koa/router';",
    );
    writeFileSync(routes, text);
    if (outDir) return { spec: join(outDir, specName), routes };
    mkdirSync(routesDir, { recursive: true });
    const specChanged = replaceIfChanged(join(tmpSpecDir, specName), join(specDir, specName));
    replaceIfChanged(routes, join(routesDir, 'routes.ts'));
    await regenerateWebTypes(config.spec.specFileBaseName, specChanged);
    return { spec: join(specDir, specName), routes: join(routesDir, 'routes.ts') };
  } finally {
    if (!outDir) rmSync(tmpRoutesDir, { recursive: true, force: true });
  }
}

/**
 * web-vue/src/generated/<spec>.ts from the spec just written, when the spec changed (or the file
 * is missing). Loaded here, not at the top: the freshness tests import this module, and
 * openapi-typescript needs ES-module-only packages that only web-vue's jest transforms.
 */
async function regenerateWebTypes(specBaseName: string, specChanged: boolean): Promise<void> {
  const web = await import('../web-vue/scripts/generate-types.js');
  const service = web.REST_SERVICES.find((s) => s === specBaseName);
  if (!service || (!specChanged && existsSync(web.typesFile(service)))) return;
  for (const file of await web.generateRestTypes([service])) {
    console.log(`${file} regenerated from openapi/${service}.json: commit it with the spec`);
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const workspace = resolve(process.argv[2] ?? '.');
  generateApi(workspace, at > 0 ? process.argv[at + 1] : undefined).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
