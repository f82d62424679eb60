import { Redis } from 'ioredis';

/** What the metrics-table jobs of a run read, summed from their results. */
export interface StageReads {
  readonly windows: number;
  readonly tables: number;
  readonly scans: number;
  readonly bytes: number;
}

/**
 * Sums the telemetry scans and bytes the metrics-table jobs under `prefix` report (their results
 * in Redis): DuckDB reports the Parquet bytes each part query read, BigQuery the bytes processed.
 */
export async function readStageReads(redisUrl: string, prefix: string): Promise<StageReads> {
  const redis = new Redis(redisUrl);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}:metric:metrics-table.*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...found.filter((key) => !/:(logs|dependencies|processed|failed|lock)$/.test(key)));
    } while (cursor !== '0');
    const windows = new Set<string>();
    let tables = 0;
    let scans = 0;
    let bytes = 0;
    for (const key of keys) {
      const value = await redis.hget(key, 'returnvalue');
      if (value === null) continue;
      const result = JSON.parse(value) as { scans?: number; cost?: { bytesProcessed?: number } };
      tables += 1;
      scans += result.scans ?? 0;
      bytes += result.cost?.bytesProcessed ?? 0;
      windows.add(key.replace(/\.(enrollments|exposures)$/, ''));
    }
    return { windows: windows.size, tables, scans, bytes };
  } finally {
    redis.disconnect();
  }
}
