// `npm start -w web-vue`: the built app on http://127.0.0.1:8080 (see config.ts for the settings).
// Stops on SIGTERM or SIGINT once its connections are closed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readWebServerConfig, WebServerConfigError } from './config';
import { startWebServer } from './web-server';

async function main(): Promise<void> {
  const config = readWebServerConfig();
  if (!existsSync(join(config.distDir, 'index.html'))) {
    throw new WebServerConfigError(
      `the app is not built: ${join(config.distDir, 'index.html')} is missing; run npm run build -w web-vue`,
    );
  }
  const web = await startWebServer(config);
  console.log(
    `[web] serving ${config.distDir} on ${web.url} (/api/server → ${config.serverServiceUrl}, /api/chat and /ws → ${config.chatServiceUrl})`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[web] ${signal}: closing`);
    // a connection that does not close in time is not worth waiting for
    setTimeout(() => process.exit(0), 5000).unref();
    void web.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  const message =
    error instanceof WebServerConfigError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? (error as Error).message
      : String((error as Error).stack ?? error);
  console.error(`[web] cannot start: ${message}`);
  process.exit(1);
});
