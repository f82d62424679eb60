/** How often and how patiently a failed request is retried. */
export interface RetryPolicy {
  /** Attempts in total (the first try included). @defaultValue 3 */
  readonly attempts: number;
  /** Delay after the first failure, in ms. @defaultValue 1000 */
  readonly initialDelayMs: number;
  /** Each further delay is this many times the previous one. @defaultValue 10 */
  readonly factor: number;
  /** Upper bound of any delay, in ms. @defaultValue 180000 */
  readonly maxDelayMs: number;
}

/** jetstream's policy for the Experimenter API: 3 attempts, waiting min(10^i, 180) s. */
export const EXPERIMENTER_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 1000,
  factor: 10,
  maxDelayMs: 180_000,
};

/** The wait after failed attempt `attempt` (0-based): min(initial × factor^attempt, max). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.initialDelayMs * policy.factor ** attempt, policy.maxDelayMs);
}

/** Waits `ms` milliseconds (the default `sleep`; tests inject a faster one). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
