/** A table the generator writes: `<dir>/tables/<dataset>/<table>.parquet` from a SELECT. */
export interface GeneratedTable {
  readonly dataset: string;
  readonly table: string;
  /** A DuckDB SELECT over the generator's working tables, in the order rows are written. */
  readonly select: string;
}

/** SQL type of a BigQuery `ARRAY<STRUCT<key STRING, value STRING>>` map ("simple" experiments). */
export const SIMPLE_MAP_TYPE = 'STRUCT(key VARCHAR, value VARCHAR)[]';

/**
 * SQL type of the Glean/native experiments map: slug → struct with the branch and extras
 * (`experiments_column_type` "native" and "glean").
 */
export const NATIVE_MAP_TYPE =
  'STRUCT(key VARCHAR, value STRUCT(branch VARCHAR, extra STRUCT(type VARCHAR, enrollment_id VARCHAR)))[]';

/** Slug of a long-running holdback that tags 30 % of clients and is not in experiments.json. */
export const HOLDBACK_SLUG = 'long-term-holdback-2026';

/** `experiments` of a row: the client's experiment when tagged, plus the holdback. */
export function simpleExperimentsSql(): string {
  return `list_concat(
    CASE WHEN tagged THEN [{'key': slug, 'value': branch}] ELSE [] END,
    CASE WHEN in_holdback THEN [{'key': '${HOLDBACK_SLUG}', 'value': 'delivery'}] ELSE [] END
  )::${SIMPLE_MAP_TYPE}`;
}

/**
 * `experiments` of a row in the native/Glean shape (`environment.experiments` of desktop events,
 * `ping_info.experiments` of Glean pings), tagged when the SQL condition `tagged` holds.
 */
export function nativeExperimentsSql(tagged = 'tagged'): string {
  return `(CASE WHEN ${tagged} THEN [{'key': slug, 'value': {'branch': branch,
      'extra': {'type': 'nimbus-nimbus', 'enrollment_id': enrollment_id}}}] ELSE [] END)::${NATIVE_MAP_TYPE}`;
}

/**
 * `experiments` of a Glean `events_stream` row: a JSON object slug → {branch, extra}, read with
 * `JSON_VALUE(experiments, '$."<slug>".branch')`.
 */
export function jsonExperimentsSql(): string {
  return `(CASE WHEN tagged THEN json_object(slug, json_object('branch', branch,
      'extra', json_object('type', 'nimbus-nimbus', 'enrollment_id', enrollment_id)))
      ELSE json_object() END)::JSON`;
}

/** A TIMESTAMP within day `t`, drawn from stream `k`. */
export function timestampSql(k: number, key = 'ck', day = 't'): string {
  return `(syn_date(${day})::TIMESTAMP + to_seconds(floor(syn_u(${k}, ${key}, ${day}) * 86400)::BIGINT))`;
}
