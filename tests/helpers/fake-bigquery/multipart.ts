import { invalidRequest } from './fake-api-error.js';

/** One part of a `multipart/related` body. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Splits a `multipart/related` body (the client's media upload: JSON metadata, then the data)
 * into its parts.
 * @throws FakeApiError (400) when the content type has no boundary or the body is malformed.
 */
export function parseMultipart(contentType: string, body: string): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary === undefined) throw invalidRequest('multipart upload without a boundary');
  const delimiter = `--${boundary}`;
  const sections = body.split(delimiter).slice(1);
  const parts: MultipartPart[] = [];
  for (const section of sections) {
    if (section.startsWith('--')) break;
    const text = section.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    const split = /\r?\n\r?\n/.exec(text);
    if (!split) throw invalidRequest('multipart part without a header/body separator');
    const headers: Record<string, string> = {};
    for (const line of text.slice(0, split.index).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    parts.push({ headers, body: text.slice(split.index + split[0].length) });
  }
  return parts;
}
