/** Generating the synthetic warehouse failed; the message names the table or file at fault. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}
