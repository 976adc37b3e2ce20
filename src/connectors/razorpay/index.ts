import { z } from 'zod';
import { ConnectorSetupError } from '../errors.ts';
import type { Connector, ConnectorContext, Cursor, StreamPage } from '../types.ts';
import { paymentRecord, settlementRecord } from './records.ts';
import { razorpayWebhook } from './webhook.ts';

/**
 * Razorpay (https://razorpay.com/docs/api/): Basic auth with the key id and secret; lists are
 * `{entity: "collection", count, items}`, newest first, paged by `count` (≤ 100) and `skip` within a
 * `from`–`to` window of unix seconds; amounts already in paise; errors `{"error": {code, description}}`.
 *
 * Incremental on `created_at`: a run reads the window from the last run's end (less a look-back, since a
 * payment's status moves after it is created: authorized, captured, refunded) to the run's start. The
 * window is fixed when a run starts and saved with the page it reached, so new payments arriving meanwhile
 * cannot shift the pages under a resumed run; unchanged records cost nothing (the platform skips them).
 */

const PAGE = 100;
/** How far back each run looks again for payments whose status moved. */
const LOOK_BACK_SECONDS = 3 * 24 * 3600;

const config = z.object({});

const credentials = z.object({
  key_id: z
    .string()
    .trim()
    .regex(/^rzp_(test|live)_[A-Za-z0-9]{6,40}$/, 'must be a Razorpay key id, rzp_test_… or rzp_live_…')
    .describe('Key Id, from Dashboard → Account & Settings → API Keys'),
  key_secret: z
    .string()
    .trim()
    .min(8, 'must be the key secret shown when the key was generated')
    .max(200)
    .describe('Key Secret, shown once when the key is generated')
    .meta({ writeOnly: true }),
  webhook_secret: z
    .string()
    .trim()
    .min(8)
    .max(200)
    .optional()
    .describe(
      'The secret of a webhook set up in Dashboard → Webhooks (optional: payments then arrive at once)',
    )
    .meta({ writeOnly: true }),
});

type Credentials = z.infer<typeof credentials>;
type Ctx = ConnectorContext<z.infer<typeof config>, Credentials>;

interface Collection<T> {
  entity: 'collection';
  count: number;
  items: T[];
}

/** A run's place in a stream: the fixed window and how far into it the pages have gone. */
const WindowCursor = z.object({
  /** Where the next run starts (the end of the last completed window). */
  through: z.number().int().nonnegative().optional(),
  window: z
    .object({ from: z.number().int(), to: z.number().int(), skip: z.number().int().nonnegative() })
    .optional(),
});

async function* readWindowed<T extends { created_at: number }>(
  ctx: Ctx,
  path: string,
  cursor: Cursor | null,
  map: (item: T) => unknown,
): AsyncIterable<StreamPage> {
  const saved = WindowCursor.safeParse(cursor ?? {});
  const state = saved.success ? saved.data : {};
  const now = Math.floor(ctx.now().getTime() / 1000);
  const window = state.window ?? {
    from: state.through === undefined ? 0 : Math.max(0, state.through - LOOK_BACK_SECONDS),
    to: now,
    skip: 0,
  };
  for (let skip = window.skip; ; ) {
    const res = await ctx.http.get<Collection<T>>(path, {
      query: { from: window.from, to: window.to, count: PAGE, skip },
      signal: ctx.signal,
    });
    const items = res.body?.items;
    if (!Array.isArray(items))
      throw new ConnectorSetupError('razorpay', `Razorpay answered ${path} without items`);
    skip += items.length;
    const done = items.length < PAGE;
    yield {
      records: items.map(map),
      cursor: done ? { through: window.to } : { through: state.through, window: { ...window, skip } },
    };
    if (done) return;
  }
}

export const razorpay: Connector<typeof config, typeof credentials> = {
  manifest: {
    id: 'razorpay',
    name: 'Razorpay',
    category: 'payments',
    auth: 'api_key',
    description: 'Payments received and settlements to your bank, from your Razorpay account.',
    config,
    credentials,
    streams: [
      {
        name: 'payments',
        object: 'payments',
        mode: 'incremental',
        cursorField: 'created_at',
        description: 'Every payment, with its method, status and UPI/bank reference.',
      },
      {
        name: 'settlements',
        object: 'settlements',
        mode: 'incremental',
        cursorField: 'created_at',
        description: 'Settlements to your bank account, with fees, tax and UTR.',
      },
    ],
    frequencyMinutes: 15,
    baseUrl: 'https://api.razorpay.com/',
    // Razorpay does not publish a fixed limit; staying well under a few per second has never tripped it.
    rateLimit: { perSecond: 5, burst: 5 },
    setup:
      'In the Razorpay Dashboard open Account & Settings → API Keys, generate a key (test or live) and paste ' +
      'its Key Id and Key Secret.',
  },

  authHeaders: (c: Credentials) => ({
    authorization: `Basic ${Buffer.from(`${c.key_id}:${c.key_secret}`).toString('base64')}`,
  }),

  webhook: razorpayWebhook,

  errorText: (body) => (body as { error?: { description?: string } } | undefined)?.error?.description,

  async check(ctx) {
    await ctx.http.get('v1/payments', { query: { count: 1 }, signal: ctx.signal });
  },

  read(ctx, stream, cursor) {
    if (stream === 'payments') return readWindowed(ctx, 'v1/payments', cursor, paymentRecord);
    if (stream === 'settlements') return readWindowed(ctx, 'v1/settlements', cursor, settlementRecord);
    throw new Error(`razorpay has no stream ${stream}`);
  },
};
