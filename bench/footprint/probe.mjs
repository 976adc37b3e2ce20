// Preloaded into the server the footprint bench measures (`node --expose-gc --import <this> …`): on the
// bench's "gc" message over the IPC channel it collects garbage, waits for V8 to hand the freed pages back
// to the system (it unmaps them on a background thread, after the collection), and answers with
// process.memoryUsage(); on "snapshot" it also writes a heap snapshot into BENCH_HEAP_SNAPSHOT_DIR and
// answers with its path.
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const collect = () => {
  // Twice: objects freed by the first collection's finalizers go in the second.
  globalThis.gc?.();
  globalThis.gc?.();
};

/** Long enough for the background unmapping after a collection; RSS read sooner still holds freed pages. */
const SETTLE_MS = 2000;

process.on('message', async (message) => {
  collect();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const answer = { memory: process.memoryUsage() };
  if (message === 'snapshot' && process.env.BENCH_HEAP_SNAPSHOT_DIR) {
    answer.snapshot = writeHeapSnapshot(
      join(process.env.BENCH_HEAP_SNAPSHOT_DIR, `axon-${Date.now()}.heapsnapshot`),
    );
  }
  process.send?.(answer);
});
// The channel must not keep a server alive that was asked to stop.
process.channel?.unref();
