/**
 * Turns anything thrown into an `Error`, so every `catch (e)` can start with
 * `const error = coerceError(e)` and read `.message` and `.name` safely.
 */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`non-error thrown: ${String(thrown)}`);
  }
}
