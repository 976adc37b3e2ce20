import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bridgeCommand } from '../../src/connectors/bridge-client.ts';
import { tally } from '../../src/connectors/tally/index.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { type FakeTally, startFakeTally } from '../fakes/tally.ts';
import { traderBooks } from '../fakes/tally-books.ts';
import { callAs, startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Tally behind the shop's router: the owner connects with reach "bridge", runs the command shown once on
// the PC with Tally, and the bridge reads Tally there and pushes pages to the real server with its token.

const connector = tally as unknown as Connector;

describeEachDb('Tally through the bridge', (get) => {
  let api: TestApi;
  let fake: FakeTally;
  let owner: ReturnType<typeof callAs>;
  let token: string;

  const bridge = async (...extra: string[]) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const code = await bridgeCommand(
      connector,
      ['--tally', fake.url, '--server', api.url, '--token', token, '--once', ...extra],
      out,
    );
    return { code, text };
  };
  const invoices = async () =>
    (await owner('GET', '/invoices?limit=100')).body.data.invoices as { number: string; balance: number }[];
  const connection = async () => (await owner('GET', '/connectors/tally')).body.data.connection;

  beforeAll(async () => {
    fake = await startFakeTally();
    fake.companies = [traderBooks()];
    api = await startTestApi(get().db);
    owner = callAs(api, await api.signIn(testPhone(71)));
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  it('connects without reaching Tally, shows the bridge command once, and schedules nothing', async () => {
    const res = await owner('POST', '/connectors/tally/connect', {
      config: { reach: 'bridge' },
      credentials: {},
    });
    expect(res.status).toBe(201);
    expect(res.body.data.sync).toBeNull();
    token = res.body.data.bridge.token;
    expect(token).toMatch(/^axb_[A-Za-z0-9_-]{43}$/);
    expect(res.body.data.bridge.command).toBe(
      `npx axon tally-bridge --tally http://localhost:9000 --server http://localhost:3000 --token ${token}`,
    );
    expect(res.body.data.connection.next_sync_at).toBeNull();
    expect(fake.requests).toEqual([]);
    const sync = await owner('POST', '/connectors/tally/sync', {});
    expect(sync.status).toBe(409);
    expect(sync.body.error?.code).toBe('connector_pushed');
  });

  it('reads Tally on the PC and the server stores what it sends', async () => {
    const { code, text } = await bridge();
    expect(text).toContain('Synced ✅');
    expect(code).toBe(0);
    const found = await invoices();
    expect(found.map((i) => i.number).sort()).toEqual(['CN-1', 'P-1', 'S-1', 'S-2', 'S-3', 'S-4', 'S-5']);
    expect(found.find((i) => i.number === 'S-1')).toMatchObject({
      balance: 680000,
      status: 'partially_paid',
    });
    const c = await connection();
    expect(c).toMatchObject({ status: 'connected', error: null, next_sync_at: null });
    expect(c.last_synced_at).not.toBeNull();
    const runs = (await owner('GET', '/connectors/tally/syncs')).body.data.syncs;
    expect(runs[0]).toMatchObject({ trigger: 'bridge', status: 'succeeded' });
    expect(runs[0].counts.invoices).toMatchObject({ added: 7 });
  });

  it('reports Tally closing halfway as the connection’s error, and the next run goes on from the last page', async () => {
    const books = fake.companies[0];
    for (let i = 0; i < 3; i++) {
      books?.vouchers.push({
        guid: `v-late-${i}`,
        alterId: 30 + i * 1000,
        date: '20261201',
        type: 'Sales',
        number: `S-L${i}`,
        party: 'Gupta Kirana',
        entries: [
          { ledger: 'Gupta Kirana', amount: '-100.00' },
          { ledger: 'Sales GST 18%', amount: '100.00' },
        ],
      });
    }
    fake.requests = [];
    // Parties: the company (nothing new); invoices: the company, bills, groups, ledgers, voucher types and
    // the first window of vouchers; then Tally has nothing.
    fake.closeAfter = 8;
    const cut = await bridge();
    expect(cut.code).toBe(1);
    expect(cut.text).toMatch(/open the company in Tally/);
    expect(await connection()).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/open the company/),
    });
    const taken = (await invoices()).map((i) => i.number);
    expect(taken).toContain('S-L0');
    expect(taken).not.toContain('S-L2');

    fake.open = true;
    fake.closeAfter = null;
    fake.requests = [];
    const resumed = await bridge();
    expect(resumed.code).toBe(0);
    const windows = fake.requests.filter((r) => r.type === 'Voucher' && r.filter?.includes('IsSales'));
    expect(windows[0]?.filter).toMatch(/\$AlterID > 1019 AND/);
    expect((await invoices()).map((i) => i.number)).toEqual(expect.arrayContaining(['S-L1', 'S-L2']));
    expect(await connection()).toMatchObject({ status: 'connected', error: null });
  });

  it('settles a voucher deleted in Tally at the next whole pass, as a pull would', async () => {
    const books = fake.companies[0];
    if (!books) throw new Error('no books');
    books.vouchers = books.vouchers.filter((v) => v.number !== 'S-5');
    // The same day only changes are read: S-5 stays.
    expect((await bridge()).code).toBe(0);
    expect((await invoices()).map((i) => i.number)).toContain('S-5');
    // A day on: the last whole pass moved a day back.
    await get().db.transaction((tx) =>
      tx.query(
        `UPDATE connection_streams SET cursor = cursor || '{"whole_at": "2026-01-01T00:00:00.000Z"}'::jsonb
          WHERE stream IN ('invoices', 'payments')
            AND connection_id IN (SELECT id FROM connections WHERE connector = 'tally')`,
      ),
    );
    expect((await bridge()).code).toBe(0);
    const left = (await invoices()).map((i) => i.number);
    expect(left).not.toContain('S-5');
    expect(left).toEqual(expect.arrayContaining(['S-1', 'S-L0', 'S-L2']));
  });

  it('refuses a replaced token, and a token that is not one, before reading anything', async () => {
    const old = token;
    const rotated = await owner('POST', '/connectors/tally/bridge-token');
    expect(rotated.status).toBe(201);
    token = rotated.body.data.token;
    expect(token).not.toBe(old);
    const refused = await api.request('POST', '/api/v1/connectors/bridge/runs', {
      body: {},
      headers: { authorization: `Bearer ${old}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('bridge_token_invalid');
    const junk = await api.request('POST', '/api/v1/connectors/bridge/runs', {
      body: {},
      headers: { authorization: 'Bearer axb_x' },
    });
    expect(junk.status).toBe(401);
    expect((await bridge()).code).toBe(0);
  });

  it('refuses a page for a stream the connector has not, or records past the page size', async () => {
    const open = await api.request('POST', '/api/v1/connectors/bridge/runs', {
      body: {},
      headers: { authorization: `Bearer ${token}` },
    });
    expect(open.status).toBe(201);
    const page = (body: unknown) =>
      api.request('POST', `/api/v1/connectors/bridge/runs/${open.body.data.run_id}/pages`, {
        body,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await page({ stream: 'ledgers', records: [], cursor: {} })).body.error.code).toBe(
      'unknown_stream',
    );
    const big = await page({
      stream: 'invoices',
      records: Array.from({ length: 501 }, () => ({})),
      cursor: {},
    });
    expect(big.status).toBe(400);
    const nul = await page({ stream: 'invoices', records: [{ raw: { note: 'a\u0000b' } }], cursor: {} });
    expect(nul.status).toBe(400);
    const misfit = await page({
      stream: 'invoices',
      records: [{ external_id: 'x' }],
      cursor: { alter_id: 1 },
    });
    expect(misfit.status).toBe(200);
    expect(misfit.body.data).toMatchObject({ added: 0, rejected: 1 });
    const end = await api.request('POST', `/api/v1/connectors/bridge/runs/${open.body.data.run_id}/end`, {
      body: { error: 'stopped by hand' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(end.body.data).toMatchObject({ status: 'failed', error: 'stopped by hand' });
    const late = await page({ stream: 'invoices', records: [], cursor: {} });
    expect(late.status).toBe(409);
  });

  it('stops the bridge when the owner disconnects', async () => {
    expect((await owner('DELETE', '/connectors/tally')).status).toBe(200);
    const { code, text } = await bridge();
    expect(code).toBe(1);
    expect(text).toMatch(/not valid/);
  });
});
