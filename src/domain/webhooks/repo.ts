import type { Queryable } from '../../db/types.ts';
import type { EventType } from '../events.ts';
import { fetchPage, fetchPageOf, type Page } from '../pagination.ts';
import { iso } from '../time.ts';
import type { DeliveryListQuery, Webhook, WebhookAttempt, WebhookDelivery } from './schema.ts';

/** SQL for webhook endpoints and their delivery log, run inside a tenant transaction. */

interface EndpointRow {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, url, events, description, enabled, disabled_reason, created_at, updated_at';

const toWebhook = (r: EndpointRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  enabled: r.enabled,
  disabled_reason: r.disabled_reason,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export interface EndpointFields {
  url: string;
  events: EventType[];
  description: string | null;
  enabled: boolean;
}

export async function insertEndpoint(
  tx: Queryable,
  row: EndpointFields & { id: string; tenantId: string; secret: string },
): Promise<Webhook> {
  const [r] = await tx.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, enabled, secret)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [row.id, row.tenantId, row.url, row.events, row.description, row.enabled, row.secret],
  );
  if (!r) throw new Error('insert returned no row');
  return toWebhook(r);
}

export async function findEndpoint(tx: Queryable, id: string, lock = false): Promise<Webhook | null> {
  const [r] = await tx.query<EndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r ? toWebhook(r) : null;
}

export async function selectEndpoints(tx: Queryable, page: number, limit: number): Promise<Page<Webhook>> {
  const p = await fetchPage<EndpointRow>(tx, {
    from: 'webhook_endpoints',
    where: 'true',
    order: 'created_at DESC, id DESC',
    params: [],
    page,
    limit,
  });
  return { total: p.total, items: p.items.map(toWebhook) };
}

/** Re-enabling clears the reason it was disabled. */
export async function updateEndpointRow(tx: Queryable, id: string, f: EndpointFields): Promise<Webhook> {
  const [r] = await tx.query<EndpointRow>(
    `UPDATE webhook_endpoints
     SET url = $2, events = $3, description = $4, enabled = $5,
         disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, f.url, f.events, f.description, f.enabled],
  );
  if (!r) throw new Error('update returned no row');
  return toWebhook(r);
}

export async function deleteEndpointRow(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
}

/** The old secret keeps signing beside the new one until `graceSeconds` pass. */
export async function replaceSecret(
  tx: Queryable,
  id: string,
  secret: string,
  graceSeconds: number,
): Promise<void> {
  await tx.query(
    `UPDATE webhook_endpoints
     SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(secs => $3),
         secret = $2, updated_at = now()
     WHERE id = $1`,
    [id, secret, graceSeconds],
  );
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: EventType;
  status: WebhookDelivery['status'];
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  /** A string when the attempts come as JSON (a page of deliveries). */
  attempted_at: Date | string;
}

const toAttempt = (r: Omit<AttemptRow, 'delivery_id'>): WebhookAttempt => ({
  attempt: r.attempt,
  status_code: r.status_code,
  error: r.error,
  duration_ms: r.duration_ms,
  attempted_at: new Date(r.attempted_at).toISOString(),
});

const toDelivery = (r: DeliveryRow, log: WebhookAttempt[]): WebhookDelivery => ({
  id: r.id,
  webhook_id: r.endpoint_id,
  event_id: r.event_id,
  event_type: r.event_type,
  status: r.status,
  attempts: r.attempts,
  max_attempts: r.max_attempts,
  next_attempt_at: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
  last_status_code: r.last_status_code,
  last_error: r.last_error,
  created_at: r.created_at.toISOString(),
  completed_at: iso(r.completed_at),
  attempt_log: log,
});

async function withAttempts(tx: Queryable, rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
  if (rows.length === 0) return [];
  const attempts = await tx.query<AttemptRow>(
    `SELECT delivery_id, attempt, status_code, error, duration_ms, attempted_at
     FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY attempt`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => toDelivery(r, attempts.filter((a) => a.delivery_id === r.id).map(toAttempt)));
}

/** A delivery's attempts, in order, as JSON. */
const ATTEMPT_LOG = `(
  SELECT coalesce(json_agg(json_build_object('attempt', a.attempt, 'status_code', a.status_code,
           'error', a.error, 'duration_ms', a.duration_ms, 'attempted_at', a.attempted_at) ORDER BY a.attempt), '[]')
  FROM webhook_attempts a WHERE a.delivery_id = page.id
) AS attempt_log`;

/** A page of an endpoint's deliveries, newest first; undefined when there is no such endpoint. */
export async function selectDeliveries(
  tx: Queryable,
  endpointId: string,
  q: DeliveryListQuery,
): Promise<Page<WebhookDelivery> | undefined> {
  const found = await fetchPageOf<unknown, DeliveryRow & { attempt_log: Omit<AttemptRow, 'delivery_id'>[] }>(
    tx,
    'SELECT id AS parent_id FROM webhook_endpoints WHERE id = $1',
    {
      from: 'webhook_deliveries',
      where: 'endpoint_id = $1 AND ($2::text IS NULL OR status = $2)',
      order: 'created_at DESC, id DESC',
      params: [endpointId, q.status ?? null],
      page: q.page,
      limit: q.limit,
      columns: ATTEMPT_LOG,
    },
  );
  if (!found) return undefined;
  const { total, items } = found.page;
  return { total, items: items.map((r) => toDelivery(r, r.attempt_log.map(toAttempt))) };
}

export async function findDelivery(
  tx: Queryable,
  endpointId: string,
  id: string,
): Promise<WebhookDelivery | null> {
  const rows = await tx.query<DeliveryRow>(
    'SELECT * FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 FOR UPDATE',
    [id, endpointId],
  );
  const [delivery] = await withAttempts(tx, rows);
  return delivery ?? null;
}

/** One more attempt, now, beyond those already made: a manual redelivery does not reopen the whole schedule. */
export async function requeueDelivery(tx: Queryable, id: string): Promise<WebhookDelivery> {
  const rows = await tx.query<DeliveryRow>(
    `UPDATE webhook_deliveries
     SET status = 'pending', max_attempts = attempts + 1, next_attempt_at = clock_timestamp(),
         completed_at = NULL, updated_at = clock_timestamp()
     WHERE id = $1 RETURNING *`,
    [id],
  );
  // Wakes the relays as a new event would.
  await tx.query("SELECT pg_notify('axon_outbox', '')");
  const [delivery] = await withAttempts(tx, rows);
  if (!delivery) throw new Error('update returned no row');
  return delivery;
}
