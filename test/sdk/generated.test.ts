import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateSdk, servedDocument } from '../../scripts/sdk-codegen.ts';

// The CI check that the committed SDK matches the served document: after changing a route, run
// `npm run sdk:generate` and commit what it wrote.

it('the committed packages/sdk/src/schema.ts and operations.ts are what `npm run sdk:generate` writes now', async () => {
  const files = await generateSdk(await servedDocument());
  expect(Object.keys(files)).toHaveLength(2);
  for (const [path, text] of Object.entries(files)) {
    const committed = await readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
    expect(committed === text, `${path} is stale: run npm run sdk:generate`).toBe(true);
  }
}, 120_000);
