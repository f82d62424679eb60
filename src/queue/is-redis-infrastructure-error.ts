import { isRedisConnectionError } from './redis-state-log.js';

/**
 * Redis error replies that say something about the server, not about the command: its script
 * cache was flushed (`NOSCRIPT`), it is full (`OOM`), a replica or a server still loading its data
 * (`READONLY`, `LOADING`, `MASTERDOWN`), it cannot persist (`MISCONF`), a script blocks it
 * (`BUSY`), the cluster is unhealthy (`CLUSTERDOWN`, `TRYAGAIN`, `NOREPLICAS`), or the account lost
 * its rights (`NOPERM`, `NOAUTH`, `WRONGPASS`).
 */
const SERVER_REPLY =
  /^(?:NOSCRIPT|OOM|READONLY|LOADING|MASTERDOWN|MISCONF|BUSY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|NOPERM|NOAUTH|WRONGPASS)\b/;

/**
 * True when `error` is a failure of Redis itself (the connection is down, or the server refuses
 * work for a reason of its own) rather than of a job's input or code. Jobs failing this way say
 * the worker cannot do its work, whatever the job.
 */
export function isRedisInfrastructureError(error: Error): boolean {
  return isRedisConnectionError(error) || SERVER_REPLY.test(error.message);
}
