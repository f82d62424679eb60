// jstat ships no types (`@types/jstat` does not exist). This declares the part contrail uses.
declare module 'jstat' {
  interface ContinuousDistribution2 {
    pdf(x: number, a: number, b: number): number;
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
    mean(a: number, b: number): number;
  }
  interface ContinuousDistribution1 {
    pdf(x: number, a: number): number;
    cdf(x: number, a: number): number;
    inv(p: number, a: number): number;
  }
  interface JStat {
    beta: ContinuousDistribution2;
    normal: ContinuousDistribution2;
    gamma: ContinuousDistribution2;
    studentt: ContinuousDistribution1;
    chisquare: ContinuousDistribution1;
    gammaln(x: number): number;
    ibeta(x: number, a: number, b: number): number;
    ibetainv(p: number, a: number, b: number): number;
    quantiles(
      arr: readonly number[],
      ps: readonly number[],
      alphap?: number,
      betap?: number,
    ): number[];
    seq(a: number, b: number, n: number): number[];
    setRandom(fn: () => number): void;
  }
  const jStat: JStat;
  export default jStat;
  export { jStat };
}
