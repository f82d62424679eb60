import type { SqlParamValue } from './sql-query.js';

/**
 * `CASE <branch> WHEN @branch_0 THEN 0 … ELSE -1 END`: a client's branch as its position in
 * `branches`, so per-client results carry a small integer instead of a string. Branch slugs are
 * bound as parameters.
 */
export function branchIndexExpression(
  branchExpression: string,
  branches: readonly string[],
): { sql: string; params: Record<string, SqlParamValue> } {
  if (branches.length === 0) return { sql: '-1', params: {} };
  const params: Record<string, SqlParamValue> = {};
  const cases = branches.map((branch, index) => {
    params[`branch_${index}`] = branch;
    return `WHEN @branch_${index} THEN ${index}`;
  });
  return { sql: `CASE ${branchExpression} ${cases.join(' ')} ELSE -1 END`, params };
}
