/** A `--public-url` / `CONTRAIL_BOARD_PUBLIC_URL` value that is not a usable origin. */
export class PublicUrlError extends Error {
  override readonly name = 'PublicUrlError';
}

/**
 * The origin of a board's public URL (`https://board.example.com`, optionally with a trailing
 * `/`): http or https, a host, an optional port; no user, password, path, query or fragment,
 * since the value is compared with the `Origin` header of writes.
 * @throws PublicUrlError saying what is wrong.
 */
export function parsePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new PublicUrlError(
      `not a URL: ${JSON.stringify(text)} (expected e.g. https://board.example.com)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PublicUrlError(`${JSON.stringify(text)} is not an http or https URL`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new PublicUrlError(`${JSON.stringify(url.origin)}: a public URL carries no credentials`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new PublicUrlError(
      `${JSON.stringify(text)} has a path, query or fragment: give only the origin, e.g. ${url.origin}`,
    );
  }
  return url.origin;
}

/**
 * Origins of a comma-separated list of public URLs (`CONTRAIL_BOARD_PUBLIC_URL`); empty items
 * are ignored. @throws PublicUrlError for the first bad one.
 */
export function parsePublicUrlList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(parsePublicUrl);
}
