import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/types.ts';

/**
 * A random secret made once and kept in the database (so in DATA_DIR on the embedded default), shared by
 * every process on that database.
 */
export async function getOrCreateSecret(db: Db, name: string, bytes = 48): Promise<string> {
  await db.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(bytes).toString('base64url'),
  ]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [name]);
  if (!row) throw new Error(`secret ${name} could not be stored`);
  return row.value;
}
