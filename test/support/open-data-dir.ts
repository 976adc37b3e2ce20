// Child process for the data-dir lock test: exit 3 when the directory is locked by another process.

import { DataDirLockedError } from '../../src/db/data-dir-lock.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';

try {
  const db = await openDatabase(
    { DATA_DIR: process.argv[2] ?? '', DATABASE_POOL_SIZE: 1 },
    createLogger('silent'),
  );
  await db.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(String(err));
  process.exit(err instanceof DataDirLockedError ? 3 : 1);
}
