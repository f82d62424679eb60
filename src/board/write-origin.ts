import { normalizeOrigin } from './loopback-origins.js';

/** The headers of a request that say which page sent it. */
export interface OriginHeaders {
  readonly origin: string | undefined;
  readonly referer: string | undefined;
}

/**
 * Which origin sent a request, as a browser tells it: the `Origin` header, or when a browser
 * leaves it out, the origin of `Referer`. `'unknown'` when a header is present but names no
 * http(s) origin (`Origin: null` from a sandboxed frame, a malformed value); null when neither
 * header is present (a script or curl, not a browser page).
 */
export function writeOriginOf(headers: OriginHeaders): string | null {
  const given = headers.origin ?? headers.referer;
  if (given === undefined) return null;
  return normalizeOrigin(given) ?? 'unknown';
}

/** True when `origin` (from {@link writeOriginOf}) is one of the `allowed` origins. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => normalizeOrigin(a) === origin);
}
