import type { BigQueryReadClient } from '@google-cloud/bigquery-storage';
import { WarehouseError } from '../warehouse-errors.js';

/** The read client's constructor options. */
type ClientOptions = NonNullable<ConstructorParameters<typeof BigQueryReadClient>[0]>;

/** Options for a call of the read client (the second parameter of its methods). */
export type StorageCallOptions = NonNullable<Parameters<BigQueryReadClient['readRows']>[1]>;

/** How to reach the Storage Read API. */
export interface StorageReadClientOptions {
  /** `host:port` of the API. @defaultValue Google's (`bigquerystorage.googleapis.com:443`) */
  readonly endpoint?: string;
  /**
   * Refuse to create a client for a non-loopback endpoint (Google's included): set when the
   * REST API is a local fake, so a forgotten storage endpoint fails instead of reaching Google.
   */
  readonly loopbackOnly?: boolean;
}

/** The placeholder token loopback endpoints get (the REST client's, too: bigquery-context.ts). */
const LOOPBACK_TOKEN = 'contrail-local';

/** True for `127.0.0.1:…`, `localhost:…` and `[::1]:…`. */
export function isLoopbackHostPort(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  const host = endpoint.startsWith('[')
    ? endpoint.slice(0, endpoint.indexOf(']') + 1)
    : endpoint.split(':')[0];
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** `host` and `port` of a `host:port` endpoint (`[::1]:50051` included). */
function splitHostPort(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  const port = Number(endpoint.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new Error(`storage API endpoint ${endpoint} is not host:port`);
  }
  return { host: endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * The client's constructor options: Google's endpoint or another with Application Default
 * Credentials; a loopback endpoint gets an insecure channel instead, which the client uses as
 * it is, so it never reads Google credentials or probes the metadata server (the placeholder
 * token travels as a header, see {@link StorageReadClient.callOptions}).
 */
async function clientOptions(options: StorageReadClientOptions): Promise<ClientOptions> {
  if (options.endpoint === undefined) return {};
  const { host, port } = splitHostPort(options.endpoint);
  if (!isLoopbackHostPort(options.endpoint)) return { apiEndpoint: host, port };
  const { credentials } = await import('@grpc/grpc-js');
  return {
    servicePath: host,
    apiEndpoint: host,
    port,
    sslCreds: credentials.createInsecure(),
    // Named, so the client does not look for credentials to learn it (which probes the GCE
    // metadata server when there are none).
    universeDomain: 'googleapis.com',
  };
}

/**
 * The warehouse's Storage Read client: created on first use (loading the gRPC stack only then)
 * and closed with the warehouse.
 */
export class StorageReadClient {
  private readonly options: StorageReadClientOptions;
  private client: Promise<BigQueryReadClient> | undefined;
  private closed = false;

  constructor(options: StorageReadClientOptions) {
    this.options = options;
  }

  /** The client, created once. */
  get(): Promise<BigQueryReadClient> {
    if (this.closed) return Promise.reject(new WarehouseError('the storage read client is closed'));
    if (this.options.loopbackOnly === true && !isLoopbackHostPort(this.options.endpoint)) {
      return Promise.reject(
        new WarehouseError(
          'the BigQuery API is a loopback address but the Storage Read API is not: set storageApiEndpoint (CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT)',
        ),
      );
    }
    this.client ??= this.create();
    return this.client;
  }

  /** Options every call carries: the placeholder bearer token on a loopback endpoint. */
  callOptions(): StorageCallOptions {
    if (!isLoopbackHostPort(this.options.endpoint)) return {};
    return { otherArgs: { headers: { authorization: `Bearer ${LOOPBACK_TOKEN}` } } };
  }

  /** Closes the client's channel if one was opened. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await (await client).close();
  }

  private async create(): Promise<BigQueryReadClient> {
    const [{ BigQueryReadClient: Client }, options] = await Promise.all([
      import('@google-cloud/bigquery-storage'),
      clientOptions(this.options),
    ]);
    return new Client(options);
  }
}
