/**
 * `npm run sdk:generate`: regenerates packages/sdk/src/schema.ts and operations.ts from the served OpenAPI
 * document. Run it after changing a route; test/sdk/generated.test.ts fails until you do.
 */
import { writeFile } from 'node:fs/promises';
import { generateSdk, servedDocument } from './sdk-codegen.ts';

const files = await generateSdk(await servedDocument());
for (const [path, text] of Object.entries(files)) {
  await writeFile(new URL(`../${path}`, import.meta.url), text);
  process.stdout.write(`wrote ${path}\n`);
}
