import { hasCredentials, isLoopbackHost, type BoardAuth } from './board-auth.js';
import { isAllowedLoopbackHost } from './allowed-host.js';
import { loopbackOrigins } from './loopback-origins.js';
import { isAllowedOrigin } from './write-origin.js';

/**
 * Which requests a board answers by name, and which pages may write to it. Never derived from
 * the request's own `Host` header, which whoever sends the request chooses.
 */
export interface OriginPolicy {
  /**
   * Answer only `Host: 127.0.0.1|localhost|[::1]:<port>` (a board without credentials: nothing
   * else stops a DNS-rebinding page from reading it).
   */
  readonly loopbackHostsOnly: boolean;
  /** Origins whose pages may write (the board's public URLs, e.g. behind an ingress). */
  readonly publicOrigins: readonly string[];
  /** Whether pages on `http://127.0.0.1|localhost|[::1]:<port>` may write too. */
  readonly loopbackWrites: boolean;
}

/** What {@link originPolicyFor} decides from. */
export interface OriginPolicyInput {
  readonly auth: BoardAuth;
  /** The address the board binds. */
  readonly host: string;
  /** The board's public origins (`--public-url`), already validated. */
  readonly publicOrigins: readonly string[];
}

/**
 * The policy of a board: without credentials, only loopback names and origins (it can only be
 * bound to loopback); with credentials, any `Host` (the credentials guard it), writes from the
 * public origins, plus the loopback ones when bound to loopback.
 */
export function originPolicyFor(input: OriginPolicyInput): OriginPolicy {
  const open = !hasCredentials(input.auth);
  return {
    loopbackHostsOnly: open,
    publicOrigins: open ? [] : input.publicOrigins,
    loopbackWrites: open || isLoopbackHost(input.host),
  };
}

/** True when the policy answers a request with this `Host` on the board's `port`. */
export function acceptsHost(policy: OriginPolicy, host: string | undefined, port: number): boolean {
  return !policy.loopbackHostsOnly || isAllowedLoopbackHost(host, port);
}

/** True when a page on `origin` may write to a board on `port` under the policy. */
export function acceptsWriteOrigin(policy: OriginPolicy, origin: string, port: number): boolean {
  const allowed = policy.loopbackWrites
    ? [...policy.publicOrigins, ...loopbackOrigins(port)]
    : policy.publicOrigins;
  return isAllowedOrigin(origin, allowed);
}
