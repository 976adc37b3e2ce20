import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { createRuntime } from '../src/main.ts';

/**
 * The OpenAPI document as GET /api/v1/openapi.json serves it, from the app itself on an in-memory
 * database: what `npm run openapi` writes, Redocly lints and the SDK is generated from.
 */
export async function servedDocument(): Promise<unknown> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' });
  const runtime = await createRuntime(config);
  const server = runtime.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).json();
  } finally {
    server.close();
    await runtime.close();
  }
}
