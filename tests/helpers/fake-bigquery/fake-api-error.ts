/** HTTP status → the `status` string of a Google API error body. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
};

/** One entry of a BigQuery error's `errors` list (also a job's `status.errorResult`). */
export interface ErrorProto {
  readonly reason: string;
  readonly message: string;
  readonly location?: string;
  readonly domain?: string;
}

/**
 * An error the fake answers with, shaped like BigQuery's: HTTP `status`, a `reason`
 * (`invalidQuery`, `notFound`, `duplicate`, `invalid`, `backendError`, …) and a message.
 */
export class FakeApiError extends Error {
  override readonly name = 'FakeApiError';
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** The `errorResult` / `errors[]` entry. */
  proto(): ErrorProto {
    return { reason: this.reason, message: this.message, domain: 'global' };
  }

  /** The JSON body of the HTTP error response. */
  body(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [this.proto()],
        status: STATUS_NAMES[this.status] ?? 'UNKNOWN',
      },
    };
  }
}

/** `Not found: Table p:d.t`, as BigQuery words it. */
export function tableNotFound(project: string, dataset: string, table: string): FakeApiError {
  return new FakeApiError(404, 'notFound', `Not found: Table ${project}:${dataset}.${table}`);
}

/** `Not found: Dataset p:d`. */
export function datasetNotFound(project: string, dataset: string): FakeApiError {
  return new FakeApiError(404, 'notFound', `Not found: Dataset ${project}:${dataset}`);
}

/** A 400 `invalid` error for a malformed request. */
export function invalidRequest(message: string): FakeApiError {
  return new FakeApiError(400, 'invalid', message);
}
