import type { Sfc32 } from './sfc32.js';

/** Below this mean (n·min(p, 1−p)) the inversion sampler is used, above it BTRD. */
const INVERSION_MAX_MEAN = 10;
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Stirling-series corrections fc(k) = ln k! − ((k + ½)ln(k + 1) − (k + 1) + ½ln 2π), k < 10. */
const STIRLING_CORRECTIONS = (() => {
  const table = new Float64Array(10);
  let lnFactorial = 0;
  for (let k = 0; k < 10; k++) {
    if (k > 0) lnFactorial += Math.log(k);
    table[k] = lnFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + HALF_LN_TWO_PI);
  }
  return table;
})();

function stirlingCorrection(k: number): number {
  if (k < 10) return STIRLING_CORRECTIONS[k]!;
  const r = 1 / (k + 1);
  const r2 = r * r;
  return (1 / 12 - (1 / 360 - (1 / 1260) * r2) * r2) * r;
}

/**
 * One Binomial(n, p) draw, exact in distribution.
 * - n·min(p, 1−p) < 10: inversion by sequential search from 0 with the pmf ratio recurrence.
 * - otherwise: BTRD, Hörmann (1993), "The generation of binomial random variates" (transformed
 *   rejection with decomposition), O(1) expected time for any n.
 * p > ½ is drawn as n − Binomial(n, 1 − p).
 * @throws RangeError for n not a non-negative integer or p outside [0, 1].
 */
export function sampleBinomial(rng: Sfc32, n: number, p: number): number {
  if (!(n >= 0) || !Number.isInteger(n)) {
    throw new RangeError(`binomial n must be a count, got ${n}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  if (n * p < INVERSION_MAX_MEAN) return binomialInversion(rng, n, p);
  return binomialBtrd(rng, n, p);
}

function binomialInversion(rng: Sfc32, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  const first = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.nextDouble();
    let r = first;
    let x = 0;
    while (u > r && x <= n) {
      u -= r;
      x++;
      r *= a / x - s;
    }
    if (x <= n) return x;
  }
}

/** BTRD setup constants for one (n, p), p ≤ ½, n·p ≥ 10. */
interface BtrdSetup {
  n: number;
  m: number;
  r: number;
  nr: number;
  npq: number;
  a: number;
  b: number;
  c: number;
  alpha: number;
  vr: number;
  urvr: number;
}

function btrdSetup(n: number, p: number): BtrdSetup {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const vr = 0.92 - 4.2 / b;
  return {
    n,
    m: Math.floor((n + 1) * p),
    r: p / q,
    nr: ((n + 1) * p) / q,
    npq: n * p * q,
    a: -0.0873 + 0.0248 * b + 0.01 * p,
    b,
    c: n * p + 0.5,
    alpha: (2.83 + 5.1 / b) * spq,
    vr,
    urvr: 0.86 * vr,
  };
}

function binomialBtrd(rng: Sfc32, n: number, p: number): number {
  const s = btrdSetup(n, p);
  for (;;) {
    let v = rng.nextDouble();
    let u: number;
    if (v <= s.urvr) {
      u = v / s.vr - 0.43;
      return Math.floor(((2 * s.a) / (0.5 - Math.abs(u)) + s.b) * u + s.c);
    }
    if (v >= s.vr) {
      u = rng.nextDouble() - 0.5;
    } else {
      u = v / s.vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = rng.nextDouble() * s.vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * s.a) / us + s.b) * u + s.c);
    if (k < 0 || k > n) continue;
    v = (v * s.alpha) / (s.a / (us * us) + s.b);
    if (btrdAccept(s, k, v)) return k;
  }
}

/** Steps 3.1–3.4 of BTRD: is the candidate k (with its scaled height v) under the pmf? */
function btrdAccept(s: BtrdSetup, k: number, v: number): boolean {
  const km = Math.abs(k - s.m);
  if (km <= 15) {
    let f = 1;
    let w = v;
    if (s.m < k) {
      for (let i = s.m + 1; i <= k; i++) f *= s.nr / i - s.r;
    } else if (s.m > k) {
      for (let i = k + 1; i <= s.m; i++) w *= s.nr / i - s.r;
    }
    return w <= f;
  }
  const lv = Math.log(v);
  const rho = (km / s.npq) * (((km / 3 + 0.625) * km + 1 / 6) * km + 0.5);
  const t = (-km * km) / (2 * s.npq);
  if (lv < t - rho) return true;
  if (lv > t + rho) return false;
  const nm = s.n - s.m + 1;
  const h =
    (s.m + 0.5) * Math.log((s.m + 1) / (s.r * nm)) +
    stirlingCorrection(s.m) +
    stirlingCorrection(s.n - s.m);
  const nk = s.n - k + 1;
  return (
    lv <=
    h +
      (s.n + 1) * Math.log(nm / nk) +
      (k + 0.5) * Math.log((nk * s.r) / (k + 1)) -
      stirlingCorrection(k) -
      stirlingCorrection(s.n - k)
  );
}
