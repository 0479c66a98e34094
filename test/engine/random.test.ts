import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RandomStream, Z99, lognormalFromMedianP99 } from "../../src/engine/random.js";

function draws(s: RandomStream, n = 8): number[] {
  return Array.from({ length: n }, () => s.uniform());
}

describe("RandomStream determinism", () => {
  it("new RandomStream(path) draws seedrandom's Alea sequence seeded with that path", () => {
    const alea = seedrandom.alea("shardcast/7/producer:web#3");
    const expected = Array.from({ length: 8 }, () => alea());
    expect(draws(RandomStream.root(7).fork("producer:web#3"))).toEqual(expected);
  });

  it("two streams with the same path draw the same sequence", () => {
    expect(draws(RandomStream.root(7), 100)).toEqual(draws(RandomStream.root(7), 100));
    expect(draws(new RandomStream("x/y"), 100)).toEqual(draws(new RandomStream("x/y"), 100));
  });

  it("root(7) and root('7') are the same stream; root(7) and root(8) are not", () => {
    expect(RandomStream.root(7).path).toBe("shardcast/7");
    expect(draws(RandomStream.root("7"))).toEqual(draws(RandomStream.root(7)));
    expect(draws(RandomStream.root(8))).not.toEqual(draws(RandomStream.root(7)));
  });

  it("fork(name).path is parent path + '/' + name", () => {
    expect(RandomStream.root(3).fork("producer:web#0").fork("keys").path).toBe("shardcast/3/producer:web#0/keys");
  });

  it("fork(name) does not depend on what the parent drew before forking", () => {
    const fresh = RandomStream.root(1).fork("consumer:analytics");
    const used = RandomStream.root(1);
    draws(used, 1000);
    used.standardNormal();
    used.poisson(50);
    expect(draws(used.fork("consumer:analytics"), 50)).toEqual(draws(fresh, 50));
  });

  it("fork(name) does not depend on draws in sibling streams or on the order of forks", () => {
    const rootA = RandomStream.root(1);
    const xFirst = rootA.fork("x");
    const yAfter = rootA.fork("y");

    const rootB = RandomStream.root(1);
    const yFirst = rootB.fork("y");
    draws(yFirst, 500); // a sibling draws a lot before x is even forked
    const xAfter = rootB.fork("x");

    expect(draws(xAfter, 50)).toEqual(draws(xFirst, 50));
    expect(draws(yAfter, 50)).toEqual(draws(RandomStream.root(1).fork("y"), 50));
  });

  it("forking does not advance the parent", () => {
    const a = RandomStream.root(5);
    const b = RandomStream.root(5);
    a.fork("child");
    a.fork("other").uniform();
    expect(draws(a, 20)).toEqual(draws(b, 20));
  });

  it("grandchildren depend only on the path: root(2).fork('a').fork('b') is reproducible", () => {
    const first = RandomStream.root(2).fork("a");
    draws(first, 10);
    expect(draws(first.fork("b"), 20)).toEqual(draws(RandomStream.root(2).fork("a").fork("b"), 20));
  });

  it("different names give different sequences, and a child differs from its parent", () => {
    const root = RandomStream.root(1);
    const names = ["producer:web#0", "producer:web#1", "producer:web#10", "consumer:a", "a", "b"];
    const seqs = names.map((n) => draws(root.fork(n), 4).join(","));
    expect(new Set(seqs).size).toBe(names.length);
    expect(draws(RandomStream.root(1).fork("a"))).not.toEqual(draws(RandomStream.root(1)));
  });
});

describe("RandomStream draws", () => {
  it("uniform() stays in [0, 1) and next() is the same generator", () => {
    const a = RandomStream.root("u");
    const b = RandomStream.root("u");
    const us = draws(a, 100_000);
    expect(Array.from({ length: 100_000 }, () => b.next())).toEqual(us);
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
  });

  it("uniformRange(lo, hi) is lo + (hi − lo)·u for the same uniform", () => {
    const a = RandomStream.root("r");
    const b = RandomStream.root("r");
    for (let i = 0; i < 100; i++) {
      const u = b.uniform();
      const x = a.uniformRange(-3, 5);
      expect(x).toBe(-3 + 8 * u);
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThan(5);
    }
  });

  it("int(n) is floor(n·u) and stays in [0, n)", () => {
    const a = RandomStream.root("i");
    const b = RandomStream.root("i");
    const ks = Array.from({ length: 1000 }, () => a.int(7));
    expect(ks).toEqual(Array.from({ length: 1000 }, () => Math.floor(7 * b.uniform())));
    expect(new Set(ks)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  });

  it("exponential(rate) is the inverse CDF −ln(1 − u)/rate of the same uniform", () => {
    const a = RandomStream.root("e");
    const b = RandomStream.root("e");
    for (let i = 0; i < 100; i++) expect(a.exponential(4)).toBe(-Math.log(1 - b.uniform()) / 4);
  });

  it("standardNormal() returns both variates of one Marsaglia polar pair, first u·f then v·f", () => {
    const s = RandomStream.root("n");
    const twin = RandomStream.root("n");
    for (let pair = 0; pair < 50; pair++) {
      let u: number;
      let v: number;
      let q: number;
      do {
        u = 2 * twin.uniform() - 1;
        v = 2 * twin.uniform() - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      expect(s.standardNormal()).toBe(u * f);
      expect(s.standardNormal()).toBe(v * f);
    }
  });

  it("normal(mean, sd) and lognormal(mu, sigma) scale the same standard normal", () => {
    const z = RandomStream.root("z");
    const n = RandomStream.root("z");
    const l = RandomStream.root("z");
    for (let i = 0; i < 20; i++) {
      const x = z.standardNormal();
      expect(n.normal(10, 2)).toBe(10 + 2 * x);
      expect(l.lognormal(1, 0.5)).toBe(Math.exp(1 + 0.5 * x));
    }
  });
});

describe("lognormalFromMedianP99", () => {
  it("Z99 is Φ⁻¹(0.99) = 2.3263478740408408 (scipy.stats.norm.ppf(0.99))", () => {
    expect(Z99).toBe(2.3263478740408408);
  });

  it("lognormalFromMedianP99(700, 6144) is mu = ln 700, sigma = ln(6144/700)/2.3263478740408408", () => {
    const { mu, sigma } = lognormalFromMedianP99(700, 6144);
    expect(mu).toBeCloseTo(6.551080335043404, 14); // ln 700 (python3 math.log)
    // ln(6144/700) = 2.1721509397841037; / 2.3263478740408408 = 0.9337171641535714 (python3 math.log)
    expect(sigma).toBeCloseTo(0.9337171641535714, 14);
  });

  it("lognormalFromMedianP99(5, 5) has sigma 0 (a constant)", () => {
    expect(lognormalFromMedianP99(5, 5)).toEqual({ mu: Math.log(5), sigma: 0 });
  });

  it.each([
    [0, 10],
    [-1, 10],
    [10, 9],
    [Number.NaN, 10],
    [10, Number.NaN],
  ])("lognormalFromMedianP99(%s, %s) throws a RangeError", (median, p99) => {
    expect(() => lognormalFromMedianP99(median, p99)).toThrow(RangeError);
  });
});
