import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { seedBooks } from '../support/books.ts';
import { describeEachDb } from '../support/db.ts';

// Wednesday 25 March 2026, 10:30 in Kolkata; the books were synced an hour before.
const NOW = new Date('2026-03-25T10:30:00+05:30');

describeEachDb('questions about the business, answered by the offline model from the books', (get) => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    const { db } = get();
    api = await startTestApi(db, { RATE_LIMIT_SELF_SERVICE: '1000' }, { clock: () => NOW });
    token = await api.signIn(testPhone(57));
    await seedBooks(db, (await ensureOwner(db, testPhone(57), 'Asia/Kolkata')).tenantId);
  });
  afterAll(() => api.close());

  const chat = async (message: string) => {
    const res = await api.request('POST', '/api/v1/chat', { token, body: { message } });
    expect(res.status).toBe(200);
    return res.body.data as { reply: string; actions: { tool: string; args: any; result: any }[] };
  };

  it('finds the party named, then answers from its invoices with the amount in rupees and the source', async () => {
    const turn = await chat('ABC Traders ka kitna baaki hai?');
    expect(turn.actions.map((a) => a.tool)).toEqual(['find_party', 'query_business_data']);
    expect(turn.reply).toContain('Customers owe you (ABC Traders), today: ₹1,18,000 (1.18 lakh)');
    expect(turn.reply).toContain('From Zoho Books (synced 1 h ago).');
  });

  it('asks which one when two parties answer to the name, and answers nothing', async () => {
    const turn = await chat('sharma ka kitna baaki hai');
    expect(turn.actions.map((a) => a.tool)).toEqual(['find_party']);
    expect(turn.reply).toMatch(/^Which one do you mean\?/);
    expect(turn.reply).toContain('Sharma Hardware (customer)');
    expect(turn.reply).toContain('Sharma Textiles (customer)');
  });

  it('ranks who owes the most', async () => {
    const turn = await chat('who owes me the most?');
    expect(turn.reply.split('\n').slice(0, 4)).toEqual([
      'Customers owe you, today: ₹1,75,500 (1.76 lakh)',
      '1. ABC Traders: ₹1,18,000 (1.18 lakh)',
      '2. Sharma Hardware: ₹45,500',
      '3. Sharma Textiles: ₹12,000',
    ]);
  });
});
