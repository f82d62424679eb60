/**
 * Entry of a stats worker thread (compiled to dist/runtime/stats-thread-entry.js and started by
 * stats-thread-pool.ts): computes replicate blocks into shared memory on request.
 */
import { parentPort } from 'node:worker_threads';

import { coerceError } from '../analysis/coerce-error.js';
// The replicate kernels only, not the statistics index (zod schemas, jStat, every statistic):
// a thread then starts in a fraction of the time, which `contrail stats --threads N` waits for.
import {
  computeReplicateBlocks,
  warmUpReplicateKernels,
} from '../stats/replicates/compute-replicate-blocks.js';
import { isBlockRequest, type BlockResponse, type ThreadReady } from './stats-thread-messages.js';

const port = parentPort;
if (!port) throw new Error('stats-thread-entry must run in a worker thread');

port.on('message', (message: unknown) => {
  if (!isBlockRequest(message)) {
    port.postMessage({ id: -1, error: 'malformed block request' } satisfies BlockResponse);
    return;
  }
  try {
    computeReplicateBlocks(message.task, message.fromBlock, message.toBlock, message.out);
    port.postMessage({ id: message.id } satisfies BlockResponse);
  } catch (e) {
    const error = coerceError(e);
    port.postMessage({
      id: message.id,
      error: `${error.name}: ${error.message}`,
    } satisfies BlockResponse);
  }
});

// Compile the kernels before the pool counts this thread as started.
warmUpReplicateKernels();
port.postMessage({ ready: true } satisfies ThreadReady);
