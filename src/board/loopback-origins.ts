/** Host names of this machine that a browser can use for a loopback board, as in URLs. */
export const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/**
 * The origins a browser uses for a board listening on loopback `port`:
 * `http://127.0.0.1:<port>`, `http://localhost:<port>` and `http://[::1]:<port>`.
 */
export function loopbackOrigins(port: number): string[] {
  return LOOPBACK_HOSTNAMES.map((hostname) => `http://${hostname}:${port}`);
}

/**
 * The serialized origin of a URL (`scheme://host[:port]`, lower case, default port dropped), or
 * null when `text` is not an http(s) URL (the opaque origin `null` included).
 */
export function normalizeOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}
