// What records of lognormal sizes bill when each is rounded up to a whole increment on its own, computed by hand:
// numeric integration of the lognormal's density (Simpson's rule in log space), independent of the model's code.
// Kinesis bills PUT payload units (25 KB) and on-demand data in (1 KiB) this way, Firehose its ingestion (5 KB).

/** The 99th percentile of the standard normal. */
const Z99 = 2.326347874040841;

/** P(a < S ≤ b) for S lognormal of this median and p99: the normal density of ln S integrated by Simpson's rule. */
export function lognormalMass(median: number, p99: number, a: number, b: number): number {
  const mu = Math.log(median);
  const sigma = Math.log(p99 / median) / Z99;
  const lo = a > 0 ? Math.log(a) : mu - 12 * sigma;
  const hi = Math.min(Math.log(b), mu + 12 * sigma);
  if (hi <= lo) return 0;
  const n = 2_000;
  const h = (hi - lo) / n;
  const f = (u: number) => Math.exp(-(((u - mu) / sigma) ** 2) / 2) / (sigma * Math.sqrt(2 * Math.PI));
  let sum = f(lo) + f(hi);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

/** E[max(1, ⌈S ÷ unit⌉)] for S lognormal: Σ_k k × P((k − 1) unit < S ≤ k unit). */
export function expectedUnits(median: number, p99: number, unit: number): number {
  let e = 0;
  for (let k = 1; (k - 1) * unit < p99 * 40; k++) e += k * lognormalMass(median, p99, (k - 1) * unit, k * unit);
  return e;
}
