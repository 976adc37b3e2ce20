/** `npm run openapi [file]`: the served OpenAPI document, to a file or stdout. */
import { writeFile } from 'node:fs/promises';
import { servedDocument } from './served-document.ts';

const text = `${JSON.stringify(await servedDocument(), null, 2)}\n`;
const [file] = process.argv.slice(2);
if (file) await writeFile(file, text);
else process.stdout.write(text);
