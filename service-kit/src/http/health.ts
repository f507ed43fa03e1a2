import type Router from '@koa/router';

/** One dependency's state for /health/ready. */
export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export type HealthCheck = () => Promise<CheckResult>;

const withTimeout = async (check: HealthCheck, ms: number): Promise<CheckResult> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer in ${ms} ms` }), ms);
      }),
    ]);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/health/live`: the process answers. `/health/ready`: every dependency answers (Postgres,
 * Redis, Kafka as the outbox relay sees it); 503 with the failing ones otherwise.
 */
export function registerHealth(
  router: Router,
  checks: Record<string, HealthCheck>,
  isShuttingDown: () => boolean,
): void {
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/health/ready', async (ctx) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => withTimeout(checks[n]!, 2000)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ok = !isShuttingDown() && results.every((r) => r.ok);
    ctx.status = ok ? 200 : 503;
    ctx.body = {
      status: ok ? 'ok' : isShuttingDown() ? 'shutting-down' : 'unavailable',
      checks: report,
    };
  });
}
