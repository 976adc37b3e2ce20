import type { Logger } from 'pino';
import type { Db } from '../../db/types.ts';
import {
  type AttemptOutcome,
  type AttemptRecord,
  type ClaimedDelivery,
  claimDueDeliveries,
  fanOutEvents,
  msUntilNextDue,
  OUTBOX_CHANNEL,
  recordAttempt,
} from '../../domain/webhooks/outbox.ts';
import { maxAttempts, parseRetryAfter, retryDelay } from '../../domain/webhooks/retry-schedule.ts';
import { signedHeaders } from '../../domain/webhooks/signing.ts';
import { createSender, type Sender } from './sender.ts';

/**
 * The outbox relay: committed events → deliveries → signed POSTs, with retries. Woken by NOTIFY when an
 * event commits (any process), by its own timer when a retry falls due, and by a slow poll as a fallback.
 * Everything it knows is in the database, so a restart resumes where any process left off.
 */

export interface RelayOptions {
  db: Db;
  logger: Logger;
  allowPrivate: boolean;
  /** Waits after each failed attempt; its length + 1 is the hard cap on attempts. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency?: number;
  userAgent?: string;
  /** Called after every attempt is recorded (tests and benchmarks wait on it). */
  onAttempt?: (record: AttemptRecord) => void;
}

export interface WebhookRelay {
  start(): Promise<void>;
  /** Looks for work now (also what a NOTIFY does). */
  wake(): void;
  /** Stops taking work and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

const FAN_OUT_BATCH = 200;
// A claimed attempt belongs to its process for the timeout plus this margin to record the answer.
const LEASE_MARGIN_MS = 15_000;

export function createWebhookRelay(opts: RelayOptions): WebhookRelay {
  const { db, logger } = opts;
  const concurrency = opts.concurrency ?? 32;
  const cap = maxAttempts(opts.retrySchedule);
  const leaseMs = opts.timeoutMs + LEASE_MARGIN_MS;
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const sender: Sender = createSender({
    timeoutMs: opts.timeoutMs,
    allowPrivate: opts.allowPrivate,
    userAgent: opts.userAgent ?? 'AxonBOS-Webhooks/1',
  });
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let cycling: Promise<void> | null = null;
  let again = false;
  // Set by whatever may mean new events (NOTIFY, start, the poll); a finished attempt only frees a slot.
  let eventsMayWait = true;
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  function wake(): void {
    eventsMayWait = true;
    freeSlot();
  }

  function freeSlot(): void {
    if (!running) return;
    if (cycling) {
      again = true;
      return;
    }
    clearTimeout(timer);
    cycling = (async () => {
      do {
        again = false;
        await cycle();
      } while (again && running);
    })()
      .catch((err) => logger.error({ err }, 'webhook relay cycle failed'))
      .finally(() => {
        cycling = null;
        void scheduleNext();
      });
  }

  async function cycle(): Promise<void> {
    if (eventsMayWait) {
      eventsMayWait = false;
      while ((await db.transaction((tx) => fanOutEvents(tx, FAN_OUT_BATCH, cap))) === FAN_OUT_BATCH) {}
    }
    const free = concurrency - inFlight.size;
    // Claims in batches while busy: a finishing attempt wakes the relay again.
    if (free <= 0 || (inFlight.size > 0 && free < claimBatch)) return;
    const claimed = await db.transaction((tx) => claimDueDeliveries(tx, free, leaseMs));
    for (const delivery of claimed) {
      const work = attempt(delivery)
        .catch((err) => logger.error({ err, delivery: delivery.id }, 'webhook attempt could not be recorded'))
        .finally(() => {
          inFlight.delete(work);
          freeSlot();
        });
      inFlight.add(work);
    }
  }

  async function scheduleNext(): Promise<void> {
    if (!running || cycling) return;
    let wait = opts.pollIntervalMs;
    // While attempts are in flight their completions drive the relay; only an idle relay needs the time.
    if (inFlight.size === 0) {
      const due = await msUntilNextDue(db).catch((err) => {
        logger.warn({ err }, 'webhook relay could not read its next due time');
        return null;
      });
      if (due !== null) wait = Math.min(wait, due);
    }
    if (!running || cycling) return;
    clearTimeout(timer);
    timer = setTimeout(wake, Math.ceil(wait));
    timer.unref();
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify({
      id: delivery.event_id,
      type: delivery.event_type,
      timestamp: new Date(delivery.event_created_at).toISOString(),
      data: delivery.payload,
    });
    const attemptedAt = new Date();
    const started = performance.now();
    const result = await sender.send(
      delivery.url,
      signedHeaders(delivery.secrets, delivery.event_id, attemptedAt, body),
      body,
    );
    const durationMs = performance.now() - started;
    const error =
      result.error ?? (isSuccess(result.statusCode) ? null : `the receiver answered ${result.statusCode}`);
    const record: AttemptRecord = {
      delivery,
      statusCode: result.statusCode,
      error,
      durationMs,
      attemptedAt,
      outcome: outcomeOf(delivery, result.statusCode, parseRetryAfter(result.retryAfter, new Date())),
    };
    await db.transaction((tx) => recordAttempt(tx, record));
    if (record.outcome.kind === 'gone') {
      logger.warn({ webhook: delivery.endpoint_id }, 'webhook disabled: the receiver answered 410 Gone');
    }
    opts.onAttempt?.(record);
  }

  function outcomeOf(d: ClaimedDelivery, status: number | null, retryAfterMs: number | null): AttemptOutcome {
    if (isSuccess(status)) return { kind: 'succeeded' };
    if (status === 410) return { kind: 'gone' };
    if (d.attempt >= Math.min(d.max_attempts, cap)) return { kind: 'failed' };
    return { kind: 'retry', delayMs: retryDelay(opts.retrySchedule, d.attempt, retryAfterMs) };
  }

  return {
    async start() {
      if (running) return;
      running = true;
      // The listener's first callback also covers whatever was committed while no relay ran.
      unlisten = await db.listen?.(OUTBOX_CHANNEL, wake);
      wake();
    },
    wake,
    async stop() {
      running = false;
      clearTimeout(timer);
      await unlisten?.();
      await cycling;
      await Promise.all(inFlight);
      sender.close();
    },
  };
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;
