import type { FakeDatabase } from './fake-database.js';
import type { FakeJobs } from './fake-jobs.js';
import type { FakeTables } from './fake-tables.js';
import { FakeApiError, invalidRequest } from './fake-api-error.js';
import { parseMultipart } from './multipart.js';
import type { WireFormat } from './wire-encoding.js';

type Body = Readonly<Record<string, unknown>>;

/** A request as the router sees it. */
export interface RoutedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly text: string;
  readonly json: Body;
}

/** What the router answers: a status and a JSON body (null: no content). */
export interface RouteAnswer {
  readonly status: number;
  readonly body: unknown;
}

const API = '/bigquery/v2/projects/([^/]+)';

function wireFormat(request: RoutedRequest): WireFormat {
  const fromBody = (request.json.formatOptions as Body | undefined)?.useInt64Timestamp === true;
  return {
    int64Timestamp: fromBody || request.query['formatOptions.useInt64Timestamp'] === 'true',
  };
}

type Handler = (m: readonly string[], r: RoutedRequest) => unknown;

/** The REST routes the fake implements: method, path pattern, handler. */
function routes(jobs: FakeJobs, tables: FakeTables): readonly [string, RegExp, Handler][] {
  const d = `${API}/datasets/([^/]+)`;
  const t = `${d}/tables/([^/]+)`;
  return [
    ['POST', new RegExp(`^${API}/queries$`), ([p], r) => jobs.query(p!, r.json, wireFormat(r))],
    [
      'GET',
      new RegExp(`^${API}/queries/([^/]+)$`),
      ([, j], r) => jobs.results(j!, r.query, wireFormat(r)),
    ],
    ['POST', new RegExp(`^${API}/jobs$`), ([p], r) => jobs.insert(p!, r.json)],
    ['GET', new RegExp(`^${API}/jobs$`), (_, r) => jobs.list(r.query)],
    ['GET', new RegExp(`^${API}/jobs/([^/]+)$`), ([, j], r) => jobs.get(j!, r.query)],
    ['POST', new RegExp(`^${API}/jobs/([^/]+)/cancel$`), ([, j], r) => jobs.cancel(j!, r.query)],
    ['POST', new RegExp(`^/upload${API}/jobs$`), ([p], r) => upload(jobs, p!, r)],
    ['GET', new RegExp(`^${API}/datasets$`), ([p], r) => tables.listDatasets(p!, r.query)],
    ['POST', new RegExp(`^${API}/datasets$`), ([p], r) => tables.insertDataset(p!, r.json)],
    ['GET', new RegExp(`^${d}$`), ([p, ds]) => tables.getDataset(p!, ds!)],
    ['DELETE', new RegExp(`^${d}$`), ([p, ds], r) => tables.deleteDataset(p!, ds!, r.query)],
    ['GET', new RegExp(`^${d}/tables$`), ([p, ds], r) => tables.listTables(p!, ds!, r.query)],
    ['POST', new RegExp(`^${d}/tables$`), ([p, ds], r) => tables.insertTable(p!, ds!, r.json)],
    ['GET', new RegExp(`^${t}$`), ([p, ds, tb]) => tables.tableResource(p!, ds!, tb!)],
    [
      'PATCH',
      new RegExp(`^${t}$`),
      ([p, ds, tb], r) => tables.patchTable(p!, ds!, tb!, r.json, 'merge'),
    ],
    [
      'PUT',
      new RegExp(`^${t}$`),
      ([p, ds, tb], r) => tables.patchTable(p!, ds!, tb!, r.json, 'replace'),
    ],
    ['DELETE', new RegExp(`^${t}$`), ([p, ds, tb]) => tables.deleteTable(p!, ds!, tb!)],
    [
      'GET',
      new RegExp(`^${t}/data$`),
      ([p, ds, tb], r) => tables.listRows(p!, ds!, tb!, r.query, wireFormat(r)),
    ],
    [
      'POST',
      new RegExp(`^${t}/insertAll$`),
      ([p, ds, tb], r) => tables.insertAll(p!, ds!, tb!, r.json),
    ],
  ];
}

function upload(jobs: FakeJobs, project: string, request: RoutedRequest): Promise<unknown> {
  if (request.query.uploadType !== 'multipart') {
    throw invalidRequest(
      `the fake accepts uploadType=multipart only, not ${request.query.uploadType}`,
    );
  }
  const [metadata, data] = parseMultipart(request.contentType, request.text);
  if (!metadata || !data) throw invalidRequest('multipart upload needs metadata and data parts');
  return jobs.load(project, JSON.parse(metadata.body) as Body, data.body);
}

/**
 * Creates the request router over the fake's jobs and tables. Requests are handled one at a
 * time (`db.exclusive`), so every job and table change is atomic.
 */
export function createRouter(jobs: FakeJobs, tables: FakeTables, db: FakeDatabase) {
  const table = routes(jobs, tables);
  return async (request: RoutedRequest): Promise<RouteAnswer> => {
    for (const [method, pattern, handler] of table) {
      const match = pattern.exec(request.path);
      if (!match || method !== request.method) continue;
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      const body = await db.exclusive(() => Promise.resolve(handler(params, request)));
      return request.method === 'DELETE' ? { status: 204, body: null } : { status: 200, body };
    }
    throw new FakeApiError(404, 'notFound', `the fake has no ${request.method} ${request.path}`);
  };
}
