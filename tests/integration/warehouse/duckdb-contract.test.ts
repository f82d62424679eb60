import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importNdjsonTable } from '../../../src/warehouse/duckdb/import-ndjson-table.js';
import {
  describeReadColumnsContract,
  describeWarehouseContract,
  type SeedColumnType,
  type SeedTable,
  type WarehouseContractFactory,
} from '../../helpers/warehouse-contract.js';

const DUCKDB_TYPES: Record<SeedColumnType, string> = {
  STRING: 'VARCHAR',
  DATE: 'DATE',
  FLOAT64: 'DOUBLE',
  INT64: 'BIGINT',
  BOOL: 'BOOLEAN',
  MAP: 'STRUCT(key VARCHAR, value VARCHAR)[]',
};

async function seedTable(dir: string, table: SeedTable): Promise<void> {
  const file = path.join(dir, `${table.dataset}.${table.table}.ndjson`);
  await writeFile(file, table.rows.map((row) => JSON.stringify(row)).join('\n'));
  const columns = Object.fromEntries(
    Object.entries(table.columns).map(([name, type]) => [name, DUCKDB_TYPES[type]]),
  );
  await importNdjsonTable(dir, table.dataset, table.table, file, { columns });
}

const duckDbSubject: WarehouseContractFactory = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'contrail-contract-'));
  const warehouse = await createDuckDbWarehouse({ dir });
  return {
    warehouse,
    seed: async (tables) => {
      for (const table of tables) await seedTable(dir, table);
    },
    dispose: async () => {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

describeWarehouseContract('embedded DuckDB', duckDbSubject);
describeReadColumnsContract('embedded DuckDB', duckDbSubject);
