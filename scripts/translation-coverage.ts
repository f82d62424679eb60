/**
 * Translation coverage of the BigQuery → DuckDB dialect layer over a metric-hub folder
 * (default ../shared/fixtures/metric-hub): every select and from expression is rendered,
 * translated with toDuckDbSql and executed in DuckDB against tables whose columns are inferred
 * from the expression. Prints totals and the failure classes with counts and an example each.
 *
 * Usage: npm run report:translation [-- <metric-hub folder>] [--verbose]
 */
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

import { duckDbPrelude } from '../src/warehouse/dialect/index.js';
import {
  readHubFiles,
  renderExpressions,
  type Rendered,
} from './translation-coverage/collect-expressions.js';
import { runExpression, type Outcome } from './translation-coverage/run-expression.js';

interface FailureClass {
  count: number;
  example: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const root = path.resolve(
    args.find((a) => !a.startsWith('--')) ??
      path.join(process.cwd(), '../shared/fixtures/metric-hub'),
  );
  const { renderer, expressions } = await renderExpressions(readHubFiles(root));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const statement of duckDbPrelude()) await connection.run(statement);
  const classes = new Map<string, FailureClass>();
  const counts = { total: expressions.length, rendered: 0, translated: 0, executed: 0 };
  const started = performance.now();
  for (const expression of expressions) {
    const outcome = await outcomeOf(connection, expression);
    if (expression.sql !== undefined) counts.rendered += 1;
    if (outcome.stage === 'ok' || outcome.stage === 'execute' || outcome.stage === 'infer') {
      counts.translated += 1;
    }
    if (outcome.stage === 'ok') counts.executed += 1;
    else {
      record(
        classes,
        `${outcome.stage}: ${outcome.failureClass}`,
        `${expression.file} ${expression.key}\n    ${outcome.detail}`,
      );
    }
    if (verbose && outcome.stage !== 'ok') {
      console.log(`${expression.file} ${expression.key}: ${outcome.failureClass}`);
    }
  }
  connection.closeSync();
  report(root, renderer, counts, classes, performance.now() - started);
}

async function outcomeOf(
  connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
  expression: Rendered,
): Promise<Outcome> {
  if (expression.sql === undefined) {
    return {
      stage: 'translate',
      failureClass: `render: ${expression.error ?? 'unknown'}`.replace(/^translate: /, ''),
      detail: expression.error ?? '',
    };
  }
  return runExpression(
    connection,
    expression.kind,
    expression.sql,
    `${expression.file} ${expression.key}`,
  );
}

function record(classes: Map<string, FailureClass>, name: string, example: string): void {
  const known = classes.get(name);
  if (known === undefined) classes.set(name, { count: 1, example });
  else known.count += 1;
}

function report(
  root: string,
  renderer: string,
  counts: { total: number; rendered: number; translated: number; executed: number },
  classes: Map<string, FailureClass>,
  ms: number,
): void {
  const pct = (n: number): string => `${((100 * n) / Math.max(1, counts.total)).toFixed(1)}%`;
  console.log(`metric-hub: ${root}`);
  console.log(`renderer:   ${renderer}`);
  console.log(`total:      ${counts.total} expressions (select and from)`);
  console.log(`rendered:   ${counts.rendered} (${pct(counts.rendered)})`);
  console.log(`translated: ${counts.translated} (${pct(counts.translated)})`);
  console.log(`executed:   ${counts.executed} (${pct(counts.executed)}) in ${Math.round(ms)} ms`);
  const sorted = [...classes].sort((a, b) => b[1].count - a[1].count);
  console.log(`failure classes: ${sorted.length}`);
  for (const [name, { count, example }] of sorted) {
    console.log(`  ${String(count).padStart(4)}  ${name}\n        e.g. ${example}`);
  }
}

await main();
