import { upsertRecords } from '../domain/business/records.ts';
import { announceSettled, settles } from '../domain/business/settled.ts';
import type { ConnectionRow } from '../domain/connections/repo.ts';
import { DomainError } from '../domain/errors.ts';
import type { ConnectorRuntime } from './runtime.ts';
import { sealedOf } from './vault.ts';

/**
 * A vendor's webhook delivery, taken in at once: the connection is found by the random token in its
 * address, the delivery proven the vendor's by its signature with the connection's secret, taken in once
 * per vendor event id, and its records upserted and announced in the same tenant transaction as the
 * event id is remembered. The scheduled sync still reconciles whatever a webhook missed.
 */

export type WebhookOutcome = 'taken' | 'duplicate' | 'ignored';

export async function ingestWebhook(
  runtime: ConnectorRuntime,
  connectorId: string,
  token: string,
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
): Promise<WebhookOutcome> {
  const connector = runtime.connector(connectorId);
  const unknown = new DomainError('not_found', 'webhook_not_found', 'No connection listens at this address.');
  if (!connector?.webhook || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw unknown;
  // Found by its token before its business is known: the one read made as the owner role.
  const [connection] = await runtime.db.query<ConnectionRow>(
    'SELECT * FROM connections WHERE webhook_token = $1 AND connector = $2',
    [token, connectorId],
  );
  if (!connection || connection.status === 'disconnected') throw unknown;
  const binding = { tenantId: connection.tenant_id, connectionId: connection.id };
  const credentials = runtime.vault.open(binding, sealedOf(connection));
  if (!connector.webhook.verify(rawBody, headers, credentials)) {
    throw new DomainError(
      'unauthorized',
      'invalid_signature',
      `The signature does not match the webhook secret saved with this ${connector.manifest.name} connection.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new DomainError('invalid', 'invalid_json', 'The body is not JSON.');
  }
  const eventId = connector.webhook.eventId(headers, body);
  if (!eventId || eventId.length > 200) {
    throw new DomainError('invalid', 'event_id_missing', 'The delivery names no event id.');
  }
  const found = connector.webhook.records(body);
  if (found.length === 0) return 'ignored';
  const source = { ...binding, connector: connectorId };
  return runtime.db.tenant(connection.tenant_id, async (tx) => {
    const [fresh] = await tx.query(
      `INSERT INTO connector_webhook_events (connection_id, tenant_id, event_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [connection.id, connection.tenant_id, eventId],
    );
    if (!fresh) return 'duplicate';
    for (const { object, records } of found) {
      const written = await upsertRecords(tx, source, object, records);
      if (settles(object)) {
        await announceSettled(
          tx,
          source,
          object,
          written.changes.map((c) => c.id),
        );
      }
    }
    return 'taken';
  });
}
