import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectorsCommand } from '../../src/connectors/command.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

// `axon connectors`, `axon connect razorpay` and `axon sync razorpay` for the local owner, typed at a pipe.

describeEachDb('axon connectors, connect and sync', (get) => {
  let fake: FakeRazorpay;
  beforeAll(async () => {
    fake = await startFakeRazorpay({ payments: 150, settlements: 2 });
  });
  afterAll(() => fake?.close());

  async function run(command: string, argv: string[], typed: string[] = []) {
    const input = new PassThrough();
    input.end(typed.map((l) => `${l}\n`).join(''));
    let printed = '';
    const out = new PassThrough();
    out.on('data', (c) => {
      printed += String(c);
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      CONNECTOR_RAZORPAY_BASE_URL: fake.url,
      CONNECTOR_RAZORPAY_RATE: '1000',
    });
    const code = await connectorsCommand(command, argv, {
      config,
      db: get().db,
      logger: capturingLogger().logger,
      input,
      out,
    });
    return { code, printed };
  }

  it('lists what can be connected', async () => {
    const { code, printed } = await run('connectors', []);
    expect(code).toBe(0);
    expect(printed).toMatch(/^razorpay\s+Razorpay\s+payments\s+available/m);
  });

  it('says so when the vendor refuses what was typed, and stores nothing', async () => {
    const { code, printed } = await run('connect', ['razorpay'], [fake.keyId, 'wrong-secret-123', '']);
    expect(code).toBe(1);
    expect(printed).toContain('did not accept these credentials');
    expect(printed).not.toContain('wrong-secret-123');
  });

  it('connects with what was typed, never echoing a secret, and syncs with progress', async () => {
    const { code, printed } = await run('connect', ['razorpay'], [fake.keyId, fake.keySecret, '']);
    expect(code).toBe(0);
    expect(printed).toContain('Key Id, from Dashboard');
    expect(printed).toContain(fake.keyId);
    expect(printed).not.toContain(fake.keySecret);
    expect(printed).toContain('payments: 150 records new or changed, 2 pages');
    expect(printed).toContain('Synced ✅');
    const listed = await run('connectors', []);
    expect(listed.printed).toMatch(/^razorpay .* connected\s+150 payments, 2 settlements/m);
  });

  it('syncs again on demand, from the start with --reset', async () => {
    const again = await run('sync', ['razorpay']);
    expect(again.code).toBe(0);
    expect(again.printed).toContain('payments: 0 records new or changed');
    const reset = await run('sync', ['razorpay', '--reset']);
    expect(reset.printed).toContain('payments: 0 records new or changed, 2 pages');
    const nothing = await run('sync', []);
    expect(nothing.code).toBe(2);
  });

  it('imports a bank statement file, and says which file it cannot read', async () => {
    const file = fileURLToPath(new URL('../fixtures/bank/hdfc.csv', import.meta.url));
    const { code, printed } = await run('import', ['bank', file]);
    expect(code).toBe(0);
    expect(printed).toContain('Imported 6 lines (2026-04-01 to 2026-04-07): 6 new, 0 already there.');
    const again = await run('import', ['bank', file]);
    expect(again.printed).toContain('0 new, 6 already there');
    const missing = await run('import', ['bank', '/nowhere/statement.csv']);
    expect(missing).toEqual({ code: 1, printed: 'Cannot read /nowhere/statement.csv: ENOENT.\n' });
    expect((await run('import', ['bank'])).code).toBe(2);
  });
});
