import type { Redis } from 'ioredis';

/**
 * True when Redis answered `NOSCRIPT`: it no longer has a Lua script a client runs by its SHA1
 * (`SCRIPT FLUSH`, or a failover to a server that never saw it).
 */
export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && /^NOSCRIPT\b/.test(error.message);
}

/** A Lua script ioredis knows by `defineCommand` (BullMQ defines all of its own that way). */
interface DefinedScript {
  readonly sha: string;
  readonly lua: string;
}

function isDefinedScript(value: unknown): value is DefinedScript {
  if (typeof value !== 'object' || value === null) return false;
  const { sha, lua } = value as Record<string, unknown>;
  return typeof sha === 'string' && typeof lua === 'string';
}

/**
 * Loads every Lua script defined on `connections` into Redis's script cache again
 * (`SCRIPT LOAD`, once per distinct script), so that `EVALSHA` finds them on every connection of
 * every process.
 *
 * Why this is needed: ioredis sends a script as `EVAL` the first time on a socket and as
 * `EVALSHA` afterwards. A plain command answered `NOSCRIPT` is sent again as `EVAL`, but inside a
 * `MULTI` (BullMQ's `FlowProducer.add`) the error comes back in `EXEC`'s reply and ioredis keeps
 * believing the socket has the script, so every later flow on that connection fails with
 * `NOSCRIPT` until the process restarts.
 * @returns how many scripts were loaded
 */
export async function reloadScripts(connections: readonly Redis[]): Promise<number> {
  const scripts = new Map<string, string>();
  for (const connection of connections) {
    for (const script of Object.values(connection.scriptsSet)) {
      if (isDefinedScript(script)) scripts.set(script.sha, script.lua);
    }
  }
  const [connection] = connections;
  if (connection === undefined) return 0;
  for (const lua of scripts.values()) await connection.script('LOAD', lua);
  return scripts.size;
}
