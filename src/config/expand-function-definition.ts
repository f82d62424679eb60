/**
 * Expands a functions.toml `definition` the way metric-config-parser does (Python
 * `str.format(select_expr=...)`): `{select_expr}` becomes the argument, `{{` and `}}` become
 * literal braces.
 * @example expandFunctionDefinition('COALESCE(SUM({select_expr}), 0)', 'x') === 'COALESCE(SUM(x), 0)'
 * @throws Error when the definition has another `{placeholder}` or an unmatched brace.
 */
export function expandFunctionDefinition(definition: string, selectExpr: string): string {
  let out = '';
  let i = 0;
  while (i < definition.length) {
    const ch = definition[i] ?? '';
    const next = definition[i + 1];
    if ((ch === '{' && next === '{') || (ch === '}' && next === '}')) {
      out += ch;
      i += 2;
    } else if (ch === '{') {
      const end = definition.indexOf('}', i);
      const field = end < 0 ? definition.slice(i + 1) : definition.slice(i + 1, end);
      if (field !== 'select_expr') {
        throw new Error(
          `function definition has an unknown placeholder {${field}}; only {select_expr} is allowed`,
        );
      }
      out += selectExpr;
      i = end + 1;
    } else if (ch === '}') {
      throw new Error("function definition has a single '}' (write '}}' for a literal brace)");
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}
