import { z } from 'zod';
import type { Connector } from '../types.ts';

/**
 * Bank statements, imported as files (the API, `npx axon import bank`, or sent on WhatsApp or Telegram):
 * nothing to call, so the server never schedules a read; each import writes its lines through the same unified
 * upsert (`import.ts`).
 */

const config = z.object({});
const credentials = z.object({});

export const bankStatement: Connector<typeof config, typeof credentials> = {
  manifest: {
    id: 'bank-statement',
    name: 'Bank statement',
    category: 'banking',
    auth: 'file',
    description:
      'Your bank account’s entries from the statements you download (HDFC, ICICI, SBI, Axis, Kotak and others, CSV or Excel).',
    config,
    credentials,
    streams: [
      {
        name: 'transactions',
        object: 'bank_transactions',
        mode: 'incremental',
        description: 'Every debit and credit of the statements you import; an overlap is imported once.',
      },
    ],
    frequencyMinutes: 24 * 60,
    baseUrl: 'file:',
    rateLimit: { perSecond: 1, burst: 1 },
    setup:
      'Download your statement from net banking as CSV or Excel and send it: POST it to /api/v1/connectors/bank-statement/import, run `npx axon import bank <file>`, or send the file to your Digital Employee on WhatsApp or Telegram.',
  },
  authHeaders: () => ({}),
  pushed: () => 'files',
  async check() {},
  async *read() {},
};
