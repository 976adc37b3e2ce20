import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertRecords } from '../../src/domain/business/records.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { sourceOf } from '../support/connections.ts';
import { describeEachDb } from '../support/db.ts';

// Statement files over the API: CSV or Excel as the raw body, each line once however often it is imported,
// nothing written from a file that cannot be read, and a credit paired with its Razorpay settlement by UTR.

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describeEachDb('bank statement import', (get) => {
  let api: TestApi;
  let owner: string;
  let tenantId: string;

  const send = (body: Buffer, type = 'text/csv', token = owner) =>
    api.request('POST', '/api/v1/connectors/bank-statement/import', {
      token,
      raw: body,
      headers: { 'content-type': type },
    });
  const lines = async () =>
    (await api.request('GET', '/api/v1/bank-transactions?limit=100', { token: owner })).body.data
      .bank_transactions;

  beforeAll(async () => {
    api = await startTestApi(get().db);
    owner = await api.signIn(testPhone(61));
    const [row] = await get().db.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM users WHERE phone = $1',
      [testPhone(61)],
    );
    tenantId = row?.tenant_id as string;
    // A Razorpay settlement whose UTR the HDFC statement's NEFT credit carries.
    const razorpay = await sourceOf(get().db, tenantId, 'razorpay');
    await get().db.tenant(tenantId, (tx) =>
      upsertRecords(tx, razorpay, 'settlements', [
        {
          external_id: 'setl_1',
          amount: 48_230_50,
          fees: 0,
          tax: 0,
          currency: 'INR',
          utr: 'HDFCN52026040112345678',
          status: 'processed',
          settled_at: '2026-04-01T04:30:00Z',
          raw: {},
        },
      ]),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('imports a CSV statement, pairs the Razorpay credit with its settlement, and lists the lines', async () => {
    const res = await send(fixture('hdfc.csv'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      lines: 6,
      added: 6,
      unchanged: 0,
      rejected: 0,
      reconciled: 1,
      from: '2026-04-01',
      to: '2026-04-07',
    });
    const listed = await lines();
    expect(listed).toHaveLength(6);
    const [paired] = await get().db.tenant(tenantId, (tx) =>
      tx.query<{ reference: string }>(
        'SELECT b.reference FROM settlements s JOIN bank_transactions b ON b.id = s.bank_transaction_id AND b.settlement_id = s.id',
      ),
    );
    expect(paired?.reference).toBe('HDFCN52026040112345678');
  });

  it('adds nothing for the lines an overlapping statement brings again', async () => {
    const again = await send(fixture('hdfc.csv'));
    expect(again.body.data).toMatchObject({ lines: 6, added: 0, unchanged: 6, reconciled: 0 });
    expect(await lines()).toHaveLength(6);
  });

  it('imports Excel too', async () => {
    const res = await send(fixture('kotak.xlsx'), XLSX);
    expect(res.body.data).toMatchObject({ lines: 3, added: 3 });
    expect(await lines()).toHaveLength(9);
  });

  it('refuses a file it cannot read, naming row and column, and writes none of it', async () => {
    const bad = Buffer.from(fixture('axis.csv').toString('utf8').replace('8500.00', '85OO.00'));
    const res = await send(bad);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'statement_unreadable',
      message: "Row 8, column 'DR': '85OO.00' is not an amount.",
    });
    expect(await lines()).toHaveLength(9);
  });

  it('takes files only, from owners only', async () => {
    const json = await send(Buffer.from('{}'), 'application/json');
    expect(json.status).toBe(415);
    const added = await api.request('POST', '/api/v1/members', {
      token: owner,
      body: { phone: testPhone(62), name: 'Ravi' },
    });
    expect(added.status).toBe(201);
    const member = await api.signIn(testPhone(62));
    expect((await send(fixture('hdfc.csv'), 'text/csv', member)).status).toBe(403);
  });
});
