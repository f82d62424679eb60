import { LOOPBACK_HOSTNAMES } from './loopback-origins.js';

/**
 * True when a `Host` header names this machine's loopback with the board's own `port`:
 * `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` (without the port only when it is
 * 80, as browsers send it). Anything else, a missing header included, is a request meant for
 * another name: a DNS-rebinding page on `attacker.example` that now resolves to 127.0.0.1 still
 * sends `Host: attacker.example`.
 */
export function isAllowedLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const given = host.trim().toLowerCase();
  return LOOPBACK_HOSTNAMES.some(
    (hostname) => given === `${hostname}:${port}` || (port === 80 && given === hostname),
  );
}
