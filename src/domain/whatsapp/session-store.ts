import type { Db, Queryable } from '../../db/types.ts';

/**
 * WhatsApp's linked-device state in the database: Baileys' credentials and signal keys as JSON text (the
 * channel owns the encoding), and what the supervisor last knew about the session. No Baileys types here.
 */

export const CREDS_KEY_TYPE = 'creds';
const CREDS_KEY_ID = '';

/** One key to write; `json: null` deletes it. */
export interface AuthKeyWrite {
  keyType: string;
  keyId: string;
  json: string | null;
}

export async function readCreds(db: Queryable, session: string): Promise<string | null> {
  const rows = await db.query<{ value: string }>(
    'SELECT value::text AS value FROM whatsapp_auth WHERE session = $1 AND key_type = $2 AND key_id = $3',
    [session, CREDS_KEY_TYPE, CREDS_KEY_ID],
  );
  return rows[0]?.value ?? null;
}

export async function writeCreds(db: Queryable, session: string, json: string): Promise<void> {
  await writeAuthKeys(db, session, [{ keyType: CREDS_KEY_TYPE, keyId: CREDS_KEY_ID, json }]);
}

/** The stored JSON of each requested key that exists, by key id. */
export async function readAuthKeys(
  db: Queryable,
  session: string,
  keyType: string,
  keyIds: readonly string[],
): Promise<Map<string, string>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db.query<{ key_id: string; value: string }>(
    `SELECT key_id, value::text AS value FROM whatsapp_auth
      WHERE session = $1 AND key_type = $2 AND key_id = ANY($3::text[])`,
    [session, keyType, keyIds],
  );
  return new Map(rows.map((r) => [r.key_id, r.value]));
}

/** Upserts and deletes a batch of keys; callers pass a transaction so a batch lands whole or not at all. */
export async function writeAuthKeys(
  db: Queryable,
  session: string,
  writes: readonly AuthKeyWrite[],
): Promise<void> {
  const upserts = writes.filter((w) => w.json !== null);
  const deletes = writes.filter((w) => w.json === null);
  if (upserts.length > 0) {
    await db.query(
      `INSERT INTO whatsapp_auth (session, key_type, key_id, value)
       SELECT $1, t, i, v::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS x (t, i, v)
       ON CONFLICT (session, key_type, key_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [session, upserts.map((w) => w.keyType), upserts.map((w) => w.keyId), upserts.map((w) => w.json)],
    );
  }
  if (deletes.length > 0) {
    await db.query(
      `DELETE FROM whatsapp_auth
        WHERE session = $1 AND (key_type, key_id) IN (SELECT t, i FROM unnest($2::text[], $3::text[]) AS x (t, i))`,
      [session, deletes.map((w) => w.keyType), deletes.map((w) => w.keyId)],
    );
  }
}

/** Deletes every signal key of the session; with `creds` too, the session is gone and must be linked again. */
export async function clearAuth(db: Queryable, session: string, opts: { creds: boolean }): Promise<void> {
  await db.query(
    opts.creds
      ? 'DELETE FROM whatsapp_auth WHERE session = $1'
      : 'DELETE FROM whatsapp_auth WHERE session = $1 AND key_type <> $2',
    opts.creds ? [session] : [session, CREDS_KEY_TYPE],
  );
}

export type SessionStatus =
  | { status: 'linked'; account: string | null; updatedAt: Date }
  | { status: 'logged_out'; reason: string | null; updatedAt: Date };

export async function readSessionStatus(db: Queryable, session: string): Promise<SessionStatus | null> {
  const rows = await db.query<{
    status: string;
    account: string | null;
    reason: string | null;
    updated_at: Date;
  }>('SELECT status, account, reason, updated_at FROM whatsapp_sessions WHERE session = $1', [session]);
  const row = rows[0];
  if (!row) return null;
  const updatedAt = new Date(row.updated_at);
  return row.status === 'linked'
    ? { status: 'linked', account: row.account, updatedAt }
    : { status: 'logged_out', reason: row.reason, updatedAt };
}

export async function markLinked(db: Queryable, session: string, account: string | null): Promise<void> {
  await db.query(
    `INSERT INTO whatsapp_sessions (session, status, account, reason) VALUES ($1, 'linked', $2, NULL)
     ON CONFLICT (session) DO UPDATE SET status = 'linked', account = EXCLUDED.account, reason = NULL, updated_at = now()`,
    [session, account],
  );
}

/** Wipes the session's keys and records why, in one transaction: a logged-out device can never half-reconnect. */
export async function markLoggedOut(db: Db, session: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    await clearAuth(tx, session, { creds: true });
    await tx.query(
      `INSERT INTO whatsapp_sessions (session, status, reason) VALUES ($1, 'logged_out', $2)
       ON CONFLICT (session) DO UPDATE SET status = 'logged_out', reason = EXCLUDED.reason, updated_at = now()`,
      [session, reason],
    );
  });
}
