/* eslint-disable no-loss-of-precision -- Cody's coefficients are kept as published; the extra digits round to the nearest double. */
// The standard normal distribution function Φ(x), via erfc with W. J. Cody's rational Chebyshev
// approximations ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969),
// accurate to about 1e-15 relative — used for closed-form moments of truncated distributions.

const A = [3.1611237438705656, 113.864154151050156, 377.48523768530220, 3209.3775891384695, 0.185777706184603153];
const B = [23.601290952344122, 244.02463793444419, 1282.6165260773723, 2844.2368334391706];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRPI = 0.56418958354775628695; // 1/sqrt(pi)

/** erfc(x) for any real x. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let xnum = A[4]! * ysq;
    let xden = ysq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + A[i]!) * ysq;
      xden = (xden + B[i]!) * ysq;
    }
    const erf = (x * (xnum + A[3]!)) / (xden + B[3]!);
    return 1 - erf;
  } else if (y <= 4) {
    let xnum = C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    result = (xnum + C[7]!) / (xden + D[7]!);
    const ysq = Math.trunc(y * 16) / 16;
    const del = (y - ysq) * (y + ysq);
    result = Math.exp(-ysq * ysq) * Math.exp(-del) * result;
  } else {
    if (y >= 26.6) {
      result = 0;
    } else {
      const ysq = 1 / (y * y);
      let xnum = P[5]! * ysq;
      let xden = ysq;
      for (let i = 0; i < 4; i++) {
        xnum = (xnum + P[i]!) * ysq;
        xden = (xden + Q[i]!) * ysq;
      }
      result = (ysq * (xnum + P[4]!)) / (xden + Q[4]!);
      result = (SQRPI - result) / y;
      const ysq2 = Math.trunc(y * 16) / 16;
      const del = (y - ysq2) * (y + ysq2);
      result = Math.exp(-ysq2 * ysq2) * Math.exp(-del) * result;
    }
  }
  return x < 0 ? 2 - result : result;
}

/** Φ(x) = P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
