/**
 * `npm run openapi [file]`: the served OpenAPI document, from the app itself on an in-memory database, to a
 * file or stdout. What Redocly lints and the SDK is generated from.
 */
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { createRuntime } from '../src/main.ts';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' });
const runtime = await createRuntime(config);
const server = runtime.app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
try {
  const { port } = server.address() as AddressInfo;
  const document = await (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).json();
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const [file] = process.argv.slice(2);
  if (file) await writeFile(file, text);
  else process.stdout.write(text);
} finally {
  server.close();
  await runtime.close();
}
