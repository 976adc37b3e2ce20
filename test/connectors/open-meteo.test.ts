import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/connectors/catalog.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, queueRun } from '../../src/domain/connections/repo.ts';
import { type FakeOpenMeteo, startFakeOpenMeteo } from '../fakes/open-meteo.ts';
import { connectedBusiness } from '../support/connections.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

// Open-Meteo, a manifest connector with no key: a city geocoded once, then the daily forecast's columns.

const openMeteo = CONNECTORS.find((c) => c.manifest.id === 'open-meteo') as Connector;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

describeEachDb('Open-Meteo weather (a manifest connector)', (get) => {
  let fake: FakeOpenMeteo;
  let runtime: ConnectorRuntime;
  let db: Db;

  const connect = (phone: string, config: Record<string, unknown>) =>
    connectedBusiness(db, vault, phone, { connector: 'open-meteo', config });
  async function sync(c: ConnectionRow) {
    const { run } = await db.tenant(c.tenant_id, (tx) =>
      queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'manual'),
    );
    return runSync(runtime, run.id);
  }
  const forecasts = (c: ConnectionRow) =>
    db.tenant(c.tenant_id, (tx) =>
      tx.query<Record<string, unknown>>(
        'SELECT day::text AS day, summary, temp_max::float8 AS temp_max, temp_min::float8 AS temp_min, rain_chance FROM weather_forecasts ORDER BY day',
      ),
    );

  beforeAll(async () => {
    db = get().db;
    fake = await startFakeOpenMeteo();
    fake.days.push(
      { time: '2026-03-25', weather_code: 63, max: 33.4, min: 21.1, rain: 80 },
      { time: '2026-03-26', weather_code: 1, max: 35, min: 22.5, rain: 5 },
      { time: '2026-03-27', weather_code: 95, max: 30.2, min: 20, rain: 90 },
    );
    runtime = createConnectorRuntime({
      db,
      vault,
      logger: capturingLogger().logger,
      baseUrls: { 'open-meteo': fake.url },
      rateLimits: { 'open-meteo': { perSecond: 10_000, burst: 100 } },
      http: { timeoutMs: 5000, retries: 1, backoffMs: 10, maxWaitMs: 1000 },
      connectors: [openMeteo],
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('finds the city once, then keeps each day’s forecast in words', async () => {
    const c = await connect('+919800000811', { city: 'Indore' });
    expect((await sync(c))?.status).toBe('succeeded');
    expect(await forecasts(c)).toEqual([
      { day: '2026-03-25', summary: 'Rain', temp_max: 33.4, temp_min: 21.1, rain_chance: 80 },
      { day: '2026-03-26', summary: 'Mainly clear', temp_max: 35, temp_min: 22.5, rain_chance: 5 },
      { day: '2026-03-27', summary: 'Thunderstorm', temp_max: 30.2, temp_min: 20, rain_chance: 90 },
    ]);
    const forecast = fake.requests.find((r) => r.path === '/v1/forecast');
    expect(forecast?.query.get('latitude')).toBe('22.71792');
    expect((await sync(c))?.status).toBe('succeeded');
    expect(fake.requests.filter((r) => r.path === '/v1/search')).toHaveLength(1);
  });

  it('uses coordinates as given, without a search', async () => {
    const searches = fake.requests.filter((r) => r.path === '/v1/search').length;
    const c = await connect('+919800000812', { latitude: 19.07, longitude: 72.88 });
    expect((await sync(c))?.status).toBe('succeeded');
    expect(fake.requests.filter((r) => r.path === '/v1/search')).toHaveLength(searches);
    expect(await forecasts(c)).toHaveLength(3);
  });

  it('says so when it knows no such city, and asks for a city or coordinates when given neither', async () => {
    const c = await connect('+919800000813', { city: 'Atlantis Nagar' });
    const run = await sync(c);
    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('Open-Meteo knows no place called Atlantis Nagar');
    expect(openMeteo.manifest.config.safeParse({ latitude: 10 }).success).toBe(false);
    expect(openMeteo.manifest.config.safeParse({ city: 'Pune' }).success).toBe(true);
  });
});
