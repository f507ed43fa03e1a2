import { status, up } from '../src';

describe('infra up', () => {
  it('is a quick no-op when every server is already healthy', async () => {
    const started = Date.now();
    const result = await up();
    expect(result.started).toEqual([]);
    expect(result.reused.sort()).toEqual(['kafka', 'keycloak', 'postgres', 'redis']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports every server healthy with its log file', async () => {
    const rows = await status();
    expect(rows.map((r) => [r.name, r.healthy])).toEqual([
      ['postgres', true],
      ['redis', true],
      ['kafka', true],
      ['keycloak', true],
    ]);
    for (const row of rows) expect(row.log).toMatch(new RegExp(`\\.infra/logs/${row.name}\\.log$`));
  });
});
