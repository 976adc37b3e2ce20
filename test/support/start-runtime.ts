// Child process for the lazy-loading test: builds the runtime from the environment's settings, then closes.
import { loadConfig } from '../../src/config.ts';
import { createRuntime } from '../../src/main.ts';

const runtime = await createRuntime(loadConfig());
await runtime.close();
