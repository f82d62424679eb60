import type { BigQueryContext } from './bigquery-context.js';

/** A JSON object from a BigQuery response. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** One REST call relative to `…/bigquery/v2/projects/<projectId>`. */
export interface RestCall {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path after the project, e.g. `/datasets/d/tables/t`. */
  readonly uri: string;
  readonly qs?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly json?: unknown;
  /** Another project than the context's (e.g. the logs table's). */
  readonly projectId?: string;
}

/** Narrows a response value to a JSON object (empty object for anything else). */
export function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

/** A string field of a response object, or undefined. */
export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Makes an authenticated request through the client (its endpoint, credentials and retry
 * policy) and resolves with the parsed body ({} for an empty one).
 * @throws the client's ApiError (with `code` and `errors`) or network error.
 */
export function restRequest(context: BigQueryContext, call: RestCall): Promise<JsonObject> {
  const qs = Object.fromEntries(
    Object.entries(call.qs ?? {}).filter(([, value]) => value !== undefined),
  );
  return new Promise((resolve, reject) => {
    context.client.request(
      {
        method: call.method ?? 'GET',
        uri: call.uri,
        qs,
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.projectId === undefined ? {} : { projectId: call.projectId }),
      },
      (error: Error | null, body?: unknown) => {
        if (error) reject(error);
        else resolve(asObject(body));
      },
    );
  });
}

/** `/datasets/<dataset>/tables/<table>` (names validated by the caller). */
export function tablePath(dataset: string, table: string): string {
  return `/datasets/${encodeURIComponent(dataset)}/tables/${encodeURIComponent(table)}`;
}
