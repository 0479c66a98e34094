// log Γ(x) for x > 0 by the Stirling series with 10 terms, shifting small arguments up to 7 first.
// Same coefficients as NumPy's random_loggam (BSD-3-Clause); accurate to ~1e-15 relative for x ≥ 1.

const COEFFICIENTS = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4,
  8.417508417508418e-4, -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2,
  1.796443723688307e-1, -1.3924322169059,
];
const LOG_2PI = 1.8378770664093453;

export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  const n = x < 7 ? Math.floor(7 - x) : 0;
  let x0 = x + n;
  const x2 = 1 / (x0 * x0);
  let series = COEFFICIENTS[9]!;
  for (let k = 8; k >= 0; k--) series = series * x2 + COEFFICIENTS[k]!;
  let result = series / x0 + 0.5 * LOG_2PI + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= n; k++) {
    result -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return result;
}
