import { joinKeyPath, type ConfigProblem } from './config-error.js';
import { functionEntrySchema } from './entry-schemas.js';
import { expandFunctionDefinition } from './expand-function-definition.js';
import { coerceError } from '../analysis/coerce-error.js';
import { describeTomlType, isTomlTable, type TomlTable } from './parse-toml-file.js';
import { zodProblems } from './zod-problems.js';

/** A functions.toml file: helper name → `definition` (with `{select_expr}`). */
export interface ParsedFunctions {
  readonly functions: Readonly<Record<string, string>>;
  readonly problems: readonly ConfigProblem[];
}

/** Validates a functions.toml file (`[functions.<name>] definition = "..."`). */
export function parseFunctionsFile(file: string, table: TomlTable): ParsedFunctions {
  const problems: ConfigProblem[] = [];
  const functions: Record<string, string> = {};
  for (const key of Object.keys(table)) {
    if (key !== 'functions') {
      problems.push({
        file,
        keyPath: key,
        reason: 'unknown top-level key in a functions file (expected [functions])',
      });
    }
  }
  const section = table.functions ?? {};
  if (!isTomlTable(section)) {
    problems.push({
      file,
      keyPath: 'functions',
      reason: `expected a table, got ${describeTomlType(section)}`,
    });
    return { functions, problems };
  }
  for (const [name, entry] of Object.entries(section)) {
    const keyPath = joinKeyPath('functions', name);
    const result = functionEntrySchema.safeParse(entry);
    if (!result.success) {
      problems.push(...zodProblems(file, keyPath, result.error, entry));
      continue;
    }
    try {
      expandFunctionDefinition(result.data.definition, 'x');
      functions[name] = result.data.definition;
    } catch (thrown) {
      problems.push({
        file,
        keyPath: joinKeyPath(keyPath, 'definition'),
        reason: coerceError(thrown).message,
      });
    }
  }
  return { functions, problems };
}
