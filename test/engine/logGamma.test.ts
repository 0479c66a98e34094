import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logGamma } from "../../src/engine/logGamma.js";

/** |actual − expected| ≤ tol·max(1, |expected|): relative for large values, absolute near the zeros at 1 and 2. */
function expectNear(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

describe("logGamma", () => {
  it("logGamma(1) = logGamma(2) = 0 exactly", () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
  });

  it("logGamma(0.5) = ln √π = 0.5723649429247001", () => {
    expectNear(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
  });

  it("logGamma(1.5) = ln(√π / 2)", () => {
    expectNear(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-14);
  });

  it("logGamma(10) = ln 9! = ln 362880", () => {
    expectNear(logGamma(10), Math.log(362880), 1e-14);
  });

  // Reference values from mpmath 1.3.0 (mpmath.loggamma at 15+ digits), cross-checked with Python's math.lgamma.
  it.each([
    [0.1, 2.252712651734206],
    [3.7, 1.428072326665388],
    [100.5, 361.4355404677776],
    [1e6 + 0.25, 12815508.023025157],
  ])("logGamma(%s) = %s (mpmath)", (x, expected) => {
    expectNear(logGamma(x), expected, 1e-14);
  });

  it("logGamma(n) = ln 1 + ln 2 + … + ln(n − 1) for n = 1..170", () => {
    let lnFact = 0; // ln((n − 1)!)
    for (let n = 1; n <= 170; n++) {
      expectNear(logGamma(n), lnFact, 1e-13);
      lnFact += Math.log(n);
    }
  });

  it("logGamma(x + 1) − logGamma(x) = ln x for x in [0.01, 1000] (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), (x) => {
        const lhs = logGamma(x + 1) - logGamma(x);
        // Absolute error of each logGamma is ~1e-15·max(1, |logGamma|); the difference inherits it.
        const scale = Math.max(1, Math.abs(logGamma(x)));
        expect(Math.abs(lhs - Math.log(x))).toBeLessThanOrEqual(1e-13 * scale);
      }),
      { numRuns: 2000 },
    );
  });
});
