/**
 * DuckDB macros standing in for the BigQuery routines (`mozfun.*`, `udf.*`) that metric-hub
 * definitions call. Maps are lists of `STRUCT(key, value)`; histograms are JSON strings (or
 * the compact `a;b;c;lo,hi;k:v,…` / `a,b` / `n` forms), as in the telemetry tables.
 */
export interface RoutineMacro {
  /** Catalog (attached in-memory database) the macro lives in. */
  readonly catalog: 'mozfun' | 'udf';
  /** Schema inside the catalog: `map`, `hist`… (`main` for `udf`). */
  readonly schema: string;
  readonly name: string;
  readonly parameters: string;
  readonly body: string;
}

const EXTRACTED = `struct_pack(bucket_count := CAST(NULL AS BIGINT), histogram_type := CAST(NULL AS BIGINT),
  "sum" := CAST(NULL AS BIGINT), "range" := CAST(NULL AS BIGINT[]),
  "values" := CAST(NULL AS STRUCT("key" BIGINT, "value" BIGINT)[]))`;

const HIST_EXTRACT = `CASE
  WHEN input IS NULL THEN ${EXTRACTED}
  WHEN starts_with(trim(input), '{') THEN struct_pack(
    bucket_count := TRY_CAST(json_extract_string(input, '$.bucket_count') AS BIGINT),
    histogram_type := TRY_CAST(json_extract_string(input, '$.histogram_type') AS BIGINT),
    "sum" := TRY_CAST(json_extract_string(input, '$.sum') AS BIGINT),
    "range" := TRY_CAST(json_extract(input, '$.range') AS BIGINT[]),
    "values" := list_transform(
      map_entries(json_transform(json_extract(input, '$.values'), '"MAP(VARCHAR, BIGINT)"')),
      lambda e: struct_pack("key" := CAST(e.key AS BIGINT), "value" := e.value)))
  WHEN len(string_split(input, ';')) = 5 THEN struct_pack(
    bucket_count := TRY_CAST(string_split(input, ';')[1] AS BIGINT),
    histogram_type := TRY_CAST(string_split(input, ';')[2] AS BIGINT),
    "sum" := TRY_CAST(string_split(input, ';')[3] AS BIGINT),
    "range" := list_transform(string_split(string_split(input, ';')[4], ','), lambda r: TRY_CAST(r AS BIGINT)),
    "values" := list_transform(
      list_filter(string_split(string_split(input, ';')[5], ','), lambda kv: kv <> ''),
      lambda kv: struct_pack("key" := TRY_CAST(split_part(kv, ':', 1) AS BIGINT),
                             "value" := TRY_CAST(split_part(kv, ':', 2) AS BIGINT))))
  WHEN len(string_split(input, ',')) = 2 THEN struct_pack(
    bucket_count := CAST(3 AS BIGINT), histogram_type := CAST(2 AS BIGINT),
    "sum" := TRY_CAST(string_split(input, ',')[2] AS BIGINT), "range" := CAST([1, 2] AS BIGINT[]),
    "values" := [struct_pack("key" := CAST(0 AS BIGINT), "value" := TRY_CAST(string_split(input, ',')[1] AS BIGINT)),
                 struct_pack("key" := CAST(1 AS BIGINT), "value" := TRY_CAST(string_split(input, ',')[2] AS BIGINT))])
  ELSE struct_pack(
    bucket_count := CAST(3 AS BIGINT), histogram_type := CAST(4 AS BIGINT),
    "sum" := TRY_CAST(trim(input) AS BIGINT), "range" := CAST([1, 2] AS BIGINT[]),
    "values" := [struct_pack("key" := CAST(0 AS BIGINT), "value" := TRY_CAST(trim(input) AS BIGINT))])
END`;

const GET_KEY = '(list_filter(m, lambda e: e.key = k))[1].value';

const WINDOWS_VERSION = `CASE
  WHEN os IS NULL OR NOT (os LIKE 'Windows%' OR os LIKE 'WINNT%') THEN NULL
  WHEN os_version = '10.0' AND windows_build_number >= 22000 THEN 'Windows 11'
  WHEN os_version = '10.0' THEN 'Windows 10'
  WHEN os_version = '6.3' THEN 'Windows 8.1'
  WHEN os_version = '6.2' THEN 'Windows 8'
  WHEN os_version = '6.1' THEN 'Windows 7'
  WHEN os_version = '6.0' THEN 'Windows Vista'
  WHEN os_version IN ('5.1', '5.2') THEN 'Windows XP'
  WHEN os_version = '5.0' THEN 'Windows 2000'
  ELSE NULL END`;

const NORM_OS = `CASE
  WHEN os LIKE 'Windows%' OR os LIKE 'WINNT%' THEN 'Windows'
  WHEN os LIKE 'Darwin%' OR os LIKE 'Mac%' THEN 'Mac'
  WHEN os LIKE 'Android%' THEN 'Android'
  WHEN os LIKE 'iOS%' OR os LIKE '%iPhone%' THEN 'iOS'
  WHEN os LIKE '%Linux%' OR os LIKE '%BSD%' OR os LIKE '%SunOS%' OR os LIKE '%Solaris%' THEN 'Linux'
  ELSE 'Other' END`;

const EXTRACT_VERSION = `CASE lower(level)
  WHEN 'major' THEN TRY_CAST(regexp_extract(version, '^([0-9]+)', 1) AS DOUBLE)
  WHEN 'minor' THEN TRY_CAST(regexp_extract(version, '^([0-9]+(\\.[0-9]+)?)', 1) AS DOUBLE)
  ELSE NULL END`;

const VALUES_OF = (h: string): string => `list_transform(${h}, lambda e: e.value)`;

/** The routines, by catalog, schema and name. */
export const ROUTINE_MACROS: readonly RoutineMacro[] = [
  { catalog: 'mozfun', schema: 'map', name: 'get_key', parameters: 'm, k', body: GET_KEY },
  {
    catalog: 'mozfun',
    schema: 'map',
    name: 'extract_keyed_scalar_sum',
    parameters: 'm',
    body: `list_sum(${VALUES_OF('m')})`,
  },
  { catalog: 'mozfun', schema: 'hist', name: 'extract', parameters: 'input', body: HIST_EXTRACT },
  {
    catalog: 'mozfun',
    schema: 'hist',
    name: 'threshold_count',
    parameters: 'h, threshold',
    body: `coalesce(list_sum(${VALUES_OF('list_filter(mozfun.hist.extract(h)."values", lambda e: e.key >= threshold)')}), 0)`,
  },
  {
    catalog: 'mozfun',
    schema: 'hist',
    name: 'mean',
    parameters: 'h',
    body: `CASE WHEN coalesce(list_sum(${VALUES_OF('h."values"')}), 0) = 0 THEN NULL ELSE h."sum" / list_sum(${VALUES_OF('h."values"')}) END`,
  },
  {
    catalog: 'mozfun',
    schema: 'hist',
    name: 'count',
    parameters: 'h',
    body: `list_sum(${VALUES_OF('h."values"')})`,
  },
  { catalog: 'mozfun', schema: 'norm', name: 'os', parameters: 'os', body: NORM_OS },
  {
    catalog: 'mozfun',
    schema: 'norm',
    name: 'windows_version_info',
    parameters: 'os, os_version, windows_build_number',
    body: WINDOWS_VERSION,
  },
  {
    catalog: 'mozfun',
    schema: 'norm',
    name: 'extract_version',
    parameters: 'version, level',
    body: EXTRACT_VERSION,
  },
  {
    catalog: 'mozfun',
    schema: 'bits28',
    name: 'days_since_seen',
    parameters: 'bits',
    body: 'CASE WHEN coalesce(bits & 268435455, 0) = 0 THEN NULL ELSE bit_count(((bits & 268435455) & -(bits & 268435455)) - 1) END',
  },
  { catalog: 'udf', schema: 'main', name: 'get_key', parameters: 'm, k', body: GET_KEY },
  {
    catalog: 'udf',
    schema: 'main',
    name: 'keyed_histogram_get_sum',
    parameters: 'm, k',
    body: `TRY_CAST(json_extract_string(${GET_KEY}, '$.sum') AS BIGINT)`,
  },
  {
    catalog: 'udf',
    schema: 'main',
    name: 'histogram_max_key_with_nonzero_value',
    parameters: 'h',
    body: `list_max(list_transform(list_filter(mozfun.hist.extract(h)."values", lambda e: e.value > 0), lambda e: e.key))`,
  },
];

/** Upper-case call names (`MOZFUN.MAP.GET_KEY`, `UDF.GET_KEY`) that have a macro. */
export const ROUTINE_NAMES: ReadonlySet<string> = new Set(
  ROUTINE_MACROS.map((r) =>
    (r.catalog === 'udf' ? `udf.${r.name}` : `mozfun.${r.schema}.${r.name}`).toUpperCase(),
  ),
);
