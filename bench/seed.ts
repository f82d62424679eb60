/**
 * `npm run bench:seed`: times `seedWarehouse` on 1,000,000 desktop client-days (clients × days;
 * the Fenix population adds a quarter on top) and prints wall and CPU time per run, rows written,
 * and the 10 s budget of issue #4. The machine's load average is printed too: on a shared box the
 * wall time says little when other work competes for the cores.
 *
 * Options (environment): BENCH_RUNS (default 3), BENCH_CLIENTS (default 23 810), BENCH_DAYS
 * (default 42, the shortest calendar holding every catalogue experiment). The folder is temporary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { resolveSeedOptions } from '../src/warehouse/synthetic/seed-options.js';
import { seedWarehouse } from '../src/warehouse/synthetic/seed-warehouse.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 23_810);
const DAYS = Number(process.env['BENCH_DAYS'] ?? 42);
const BUDGET_SECONDS = 10;

async function run(): Promise<void> {
  const clientDays = CLIENTS * DAYS;
  console.log(
    `seed: ${CLIENTS.toLocaleString('en-US')} clients × ${DAYS} days = ` +
      `${clientDays.toLocaleString('en-US')} desktop client-days, ${RUNS} runs`,
  );
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'contrail-bench-seed-'));
    const load = loadavg()[0] ?? 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    try {
      const manifest = await seedWarehouse(
        resolveSeedOptions({ dir, clients: CLIENTS, days: DAYS, seed: i + 1 }),
      );
      const wall = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
      const daily = manifest.tables.find((t) => t.table === 'clients_daily')?.rows ?? 0;
      walls.push(wall);
      console.log(
        `  run ${i + 1}: ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ` +
          `${daily.toLocaleString('en-US')} clients_daily rows, ${rows.toLocaleString('en-US')} rows in ` +
          `${manifest.tables.length} tables, ${(clientDays / wall / 1000).toFixed(0)}k client-days/s ` +
          `(load average ${load.toFixed(1)})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const best = Math.min(...walls);
  const verdict = best <= BUDGET_SECONDS ? 'within' : 'OVER';
  console.log(
    `best ${best.toFixed(2)} s for ${clientDays.toLocaleString('en-US')} client-days: ` +
      `${verdict} the ${BUDGET_SECONDS} s budget; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
