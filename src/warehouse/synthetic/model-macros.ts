import jStat from 'jstat';

import type { IsoDate } from '../../analysis/iso-date.js';

/**
 * The generating model's shared pieces, as DuckDB macros. The same macros draw the telemetry
 * and compute its expectations for the manifest, so the two cannot drift apart.
 *
 * Randomness: every draw is `syn_u(stream, key, day)`, a uniform on (0, 1) from DuckDB's
 * `hash()` of (seed, stream, key, day). Rows do not depend on the order or the thread they are
 * computed in, so one seed always gives the same tables.
 */

/** Spread (σ of the log) of daily active hours around a client's median. */
export const HOURS_SIGMA = 0.8;
/** The normal draw of daily hours is clamped to ±this, bounding the tail. */
export const HOURS_Z_LIMIT = 3;

/**
 * E[exp(σ·clamp(Z, −c, c))] for a standard normal Z: the log-normal mean e^{σ²/2} over the
 * unclamped middle, plus the two clamped tails at their bound.
 */
export function clampedLogNormalMean(sigma: number, limit: number): number {
  const phi = (x: number) => jStat.normal.cdf(x, 0, 1);
  return (
    Math.exp((sigma * sigma) / 2) * (phi(limit - sigma) - phi(-limit - sigma)) +
    Math.exp(sigma * limit) * (1 - phi(limit)) +
    Math.exp(-sigma * limit) * phi(-limit)
  );
}
/** Spread of daily search-access-point searches (log scale). */
export const SEARCH_SIGMA = 0.8;
/** Spread of daily organic searches (log scale). */
export const ORGANIC_SIGMA = 0.7;
/** Highest daily probability of being active. */
export const ACTIVITY_CAP = 0.97;
/** Probability that the enrollment-day row already carries the experiment tag. */
export const ENROLLMENT_DAY_TAG_RATE = 0.75;
/** Active hours are recorded in 5-second ticks. */
export const HOUR_TICKS = 720;
/** Share of tagged searches followed by a tagged follow-on search. */
export const FOLLOW_ON_SHARE = 0.3;
/** Share of search-access-point searches whose result page carries ads. */
export const ADS_SHARE = 0.45;

/** The macros as SQL statements, for a given seed and first day of data. */
export function modelMacros(seed: number, dataStart: IsoDate): string[] {
  return [...randomMacros(seed, dataStart), ...propensityMacros()];
}

/**
 * Draws. DuckDB's multi-argument `hash()` combines its arguments' hashes with a final XOR, so
 * hashes differing only in one argument are strongly correlated (−0.5 between streams, measured);
 * every draw therefore hashes the combined hash once more, which mixes it fully.
 * `syn_u(stream, key, day)` is one uniform from one hash; the per-row hot path instead
 * takes one hash `syn_h(key, day, stream)` and splits it into three 21-bit uniforms
 * `syn_slot(h, 0..2)`, and `syn_bm(h)` is a standard normal from slots 0 and 1 (Box–Muller).
 */
function randomMacros(seed: number, dataStart: IsoDate): string[] {
  return [
    `CREATE OR REPLACE MACRO syn_u(k, a, b) AS
       ((hash(hash(${seed}, k, a, b)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`,
    `CREATE OR REPLACE MACRO syn_z(k, a, b) AS
       sqrt(-2.0 * ln(syn_u(k, a, b))) * cos(2.0 * pi() * syn_u(k + 500, a, b))`,
    `CREATE OR REPLACE MACRO syn_h(a, b, k) AS hash(hash(${seed}, a, b, k))`,
    `CREATE OR REPLACE MACRO syn_slot(h, s) AS
       (((h >> (21 * s)) & 2097151)::DOUBLE + 0.5) / 2097152.0`,
    `CREATE OR REPLACE MACRO syn_bm(h) AS
       sqrt(-2.0 * ln(syn_slot(h, 0))) * cos(2.0 * pi() * syn_slot(h, 1))`,
    // Exponential draw with the given mean.
    `CREATE OR REPLACE MACRO syn_exp(u, mean) AS -ln(u) * mean`,
    `CREATE OR REPLACE MACRO syn_date(t) AS DATE '${dataStart}' + CAST(t AS INTEGER)`,
    `CREATE OR REPLACE MACRO syn_uuid(h) AS
       substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a'
       || substr(h, 18, 3) || '-' || substr(h, 21, 12)`,
  ];
}

/** Propensities and their expectations, shared by the generator and the manifest. */
function propensityMacros(): string[] {
  return [
    // P(active on day t): new profiles are active on their first day; afterwards a base rate
    // times the day-of-week factor, a retention decay and (1 + the activity knob), capped.
    `CREATE OR REPLACE MACRO syn_activity(a, day_f, churn, first_t, t, knob) AS
       CASE WHEN t < first_t THEN 0.0
            WHEN t = first_t THEN 1.0
            ELSE least(${ACTIVITY_CAP},
                 a * day_f * exp(-churn * (t - greatest(first_t, 0))) * (1 + knob)) END`,
    // The raw (unrounded) hours draw exp(mu + σ·clamp(Z)) * day_int * (1 + knob), and its mean.
    `CREATE OR REPLACE MACRO syn_hours_draw(mu, z, day_int, knob) AS
       exp(mu + ${HOURS_SIGMA} * greatest(-${HOURS_Z_LIMIT}, least(${HOURS_Z_LIMIT}, z)))
       * day_int * (1 + knob)`,
    `CREATE OR REPLACE MACRO syn_hours_mean(mu, day_int, knob) AS
       exp(mu) * ${clampedLogNormalMean(HOURS_SIGMA, HOURS_Z_LIMIT)} * day_int * (1 + knob)`,
    `CREATE OR REPLACE MACRO syn_search_mean(search_prob, mu_search, knob) AS
       search_prob * (1 + exp(mu_search + ${(SEARCH_SIGMA * SEARCH_SIGMA) / 2}) * (1 + knob))`,
    `CREATE OR REPLACE MACRO syn_organic_mean(organic_prob, mu_organic) AS
       organic_prob * (1 + exp(mu_organic + ${(ORGANIC_SIGMA * ORGANIC_SIGMA) / 2}))`,
    `CREATE OR REPLACE MACRO syn_clamp01(x) AS least(1.0, greatest(0.0, x))`,
  ];
}
