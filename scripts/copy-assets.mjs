// After `tsc -p tsconfig.build.json`: puts the files the code reads at run time next to the compiled
// output, where the same `new URL(…, import.meta.url)` paths find them:
//   src/db/migrations/*.sql → dist/src/db/migrations/   (src/db/migrate.ts)
//   prompts/                → dist/prompts/              (src/agent/prompts.ts: ../../prompts/)
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

if (!existsSync(join(dist, 'src', 'main.js'))) {
  console.error('copy-assets: dist/src/main.js is missing; run tsc -p tsconfig.build.json first');
  process.exit(1);
}

/** Replaces `to` with a fresh copy of `from`, keeping only the files `keep` accepts; returns the count. */
function copyDir(from, to, keep = () => true) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  let n = 0;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!keep(entry)) continue;
    cpSync(join(from, entry.name), join(to, entry.name), { recursive: true });
    n++;
  }
  console.log(`copy-assets: ${relative(root, from)}/ → ${relative(root, to)}/ (${n} entries)`);
  return n;
}

// A stale migration left in dist would run in production, so the folder is replaced, not merged.
const migrations = copyDir(
  join(root, 'src', 'db', 'migrations'),
  join(dist, 'src', 'db', 'migrations'),
  (e) => e.isFile() && e.name.endsWith('.sql'),
);
if (migrations === 0) {
  console.error('copy-assets: no migrations found in src/db/migrations');
  process.exit(1);
}

if (existsSync(join(root, 'prompts'))) copyDir(join(root, 'prompts'), join(dist, 'prompts'));
