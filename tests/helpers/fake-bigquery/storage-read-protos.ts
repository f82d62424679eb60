import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const SERVICE = 'google.cloud.bigquery.storage.v1.BigQueryRead';

/**
 * The `BigQueryRead` service definition, loaded from the v1 protos shipped inside
 * `@google-cloud/bigquery-storage` (their `google/api` and `google/rpc` imports come from
 * google-gax's protos, its dependency). Fields are camelCase, int64s numbers, enums names.
 */
export function bigQueryReadService(): ServiceDefinition {
  const require = createRequire(import.meta.url);
  const storageMain = require.resolve('@google-cloud/bigquery-storage');
  const gaxMain = createRequire(storageMain).resolve('google-gax');
  const includeDirs = [
    path.join(path.dirname(storageMain), '..', 'protos'),
    path.join(path.dirname(gaxMain), '..', 'protos'),
  ];
  const definition = loadSync('google/cloud/bigquery/storage/v1/storage.proto', {
    includeDirs,
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = definition[SERVICE];
  if (service === undefined || !('ReadRows' in service)) {
    throw new Error(`${SERVICE} is missing from the shipped protos`);
  }
  return service;
}
