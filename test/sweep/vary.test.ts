// `--vary PATH=VALUES`: value lists, numeric ranges (computed as start + i·step, no float drift), paths, and
// applying a value to a deep copy of the scenario data.

import { describe, expect, it } from "vitest";
import { applyVary, parsePath, parseVary, SweepError } from "../../src/sweep/vary.js";

describe("parseVary: value lists", () => {
  it('"stream.shards=2,4,8" is the path stream.shards with the numbers 2, 4, 8', () => {
    expect(parseVary("stream.shards=2,4,8")).toEqual({ path: "stream.shards", segments: ["stream", "shards"], values: [2, 4, 8] });
  });

  it('"duration=5m,10m" keeps unit strings as strings for the schema to parse', () => {
    expect(parseVary("duration=5m,10m").values).toEqual(["5m", "10m"]);
  });

  it('"x=true,false" gives the booleans true and false, not strings', () => {
    expect(parseVary("x=true,false").values).toEqual([true, false]);
  });

  it('"x=0.5, 1e3 ,-2" reads decimals, exponents and negatives as numbers and trims spaces', () => {
    expect(parseVary("x=0.5, 1e3 ,-2").values).toEqual([0.5, 1000, -2]);
  });

  it('"x=2, 5m, true" mixes kinds value by value', () => {
    expect(parseVary("x=2, 5m, true").values).toEqual([2, "5m", true]);
  });

  it('"stream.mode=provisioned,on-demand,on-demand-advantage" varies the capacity mode: three strings, hyphens kept', () => {
    expect(parseVary("stream.mode=provisioned,on-demand,on-demand-advantage")).toEqual({
      path: "stream.mode",
      segments: ["stream", "mode"],
      values: ["provisioned", "on-demand", "on-demand-advantage"],
    });
    expect(applyVary({ stream: { shards: 4 } }, { path: "stream.mode", segments: ["stream", "mode"] }, "on-demand")).toEqual({ stream: { shards: 4, mode: "on-demand" } });
  });

  it('"prices.override.shardHour=0.015,0.012" varies a price', () => {
    expect(parseVary("prices.override.shardHour=0.015,0.012")).toEqual({ path: "prices.override.shardHour", segments: ["prices", "override", "shardHour"], values: [0.015, 0.012] });
  });
});

describe("parseVary: ranges", () => {
  it('"stream.shards=4..32:4" is exactly 4, 8, 12, …, 32 (8 values)', () => {
    expect(parseVary("stream.shards=4..32:4").values).toEqual([4, 8, 12, 16, 20, 24, 28, 32]);
  });

  it('"x=1..3" steps by 1: 1, 2, 3', () => {
    expect(parseVary("x=1..3").values).toEqual([1, 2, 3]);
  });

  it('"x=0.1..0.5:0.1" is exactly 0.1, 0.2, 0.3, 0.4, 0.5 (no 0.30000000000000004, no missing end)', () => {
    const values = parseVary("x=0.1..0.5:0.1").values;
    expect(values).toHaveLength(5);
    // toBe, not toBeCloseTo: each must be the same double as the literal.
    [0.1, 0.2, 0.3, 0.4, 0.5].forEach((v, i) => expect(values[i]).toBe(v));
  });

  it('"x=0.1..0.3:0.1" ends at 0.3 although 0.3 − 0.1 is 0.19999999999999998 in floating point', () => {
    expect(parseVary("x=0.1..0.3:0.1").values).toEqual([0.1, 0.2, 0.3]);
  });

  it('"x=0..1:0.3" stops at the last value not past the end: 0, 0.3, 0.6, 0.9', () => {
    expect(parseVary("x=0..1:0.3").values).toEqual([0, 0.3, 0.6, 0.9]);
  });

  it('"x=-2..2" runs through zero: -2, -1, 0, 1, 2', () => {
    expect(parseVary("x=-2..2").values).toEqual([-2, -1, 0, 1, 2]);
  });

  it('"x=7..7" is the single value 7', () => {
    expect(parseVary("x=7..7").values).toEqual([7]);
  });

  it('"x=1..10000" (the most values allowed) gives 10,000 values ending at 10000', () => {
    const values = parseVary("x=1..10000").values;
    expect(values).toHaveLength(10_000);
    expect(values[9_999]).toBe(10_000);
  });
});

describe("parseVary: errors", () => {
  const error = (arg: string) => {
    try {
      parseVary(arg);
    } catch (e) {
      expect(e).toBeInstanceOf(SweepError);
      return (e as Error).message;
    }
    throw new Error(`parseVary("${arg}") did not throw`);
  };

  it('"stream.shards" (no "=") says PATH=VALUES is expected', () => {
    expect(error("stream.shards")).toBe('--vary "stream.shards": expected PATH=VALUES, e.g. stream.shards=2,4,8 or stream.shards=4..32:4');
  });

  it('"=2,4" (no path) says PATH=VALUES is expected', () => {
    expect(error("=2,4")).toContain("expected PATH=VALUES");
  });

  it('"stream.shards=" (no values) names the empty value', () => {
    expect(error("stream.shards=")).toBe('--vary "stream.shards=": an empty value in ""');
  });

  it('"stream.shards=2,,8" names the empty value in the list', () => {
    expect(error("stream.shards=2,,8")).toBe('--vary "stream.shards=2,,8": an empty value in "2,,8"');
  });

  it('"stream.shards=32..4" says a range goes up', () => {
    expect(error("stream.shards=32..4")).toBe('--vary "stream.shards=32..4": a range goes up: 32..4 is empty');
  });

  it('"stream.shards=4..32:0" says the step must be > 0', () => {
    expect(error("stream.shards=4..32:0")).toBe('--vary "stream.shards=4..32:0": the step of a range must be > 0');
  });

  it('"x=1..10001" is one value too many and says so with the limit', () => {
    expect(error("x=1..10001")).toBe('--vary "x=1..10001": 10001 values; at most 10000');
  });

  it('"x=1..1000000000000" is refused by its count, before any value is built', () => {
    expect(error("x=1..1000000000000")).toBe('--vary "x=1..1000000000000": 1000000000000 values; at most 10000');
  });

  it("a list of 10,001 values is too many too", () => {
    const list = Array.from({ length: 10_001 }, (_, i) => i + 1).join(",");
    expect(error(`x=${list}`)).toMatch(/: 10001 values; at most 10000$/);
  });

  it('"stream..shards=2" cannot be read as a path', () => {
    expect(error("stream..shards=2")).toBe('--vary "stream..shards=2": cannot read the path "stream..shards"');
  });
});

describe("parsePath", () => {
  it('"producers[0].rate.value" is producers, index 0, rate, value', () => {
    expect(parsePath("producers[0].rate.value")).toEqual(["producers", 0, "rate", "value"]);
  });

  it('"producers.web.instances" names the list element "web"', () => {
    expect(parsePath("producers.web.instances")).toEqual(["producers", "web", "instances"]);
  });

  it('"consumers[analytics].workers" names the list element "analytics" in brackets', () => {
    expect(parsePath("consumers[analytics].workers")).toEqual(["consumers", "analytics", "workers"]);
  });

  it('"producers.0.instances" reads the bare 0 as an index, like [0]', () => {
    expect(parsePath("producers.0.instances")).toEqual(["producers", 0, "instances"]);
  });

  it.each(["stream.", "stream[]", "stream[0", "a..b", ""])("%j is not a path", (path) => {
    expect(() => parsePath(path)).toThrow(SweepError);
    expect(() => parsePath(path)).toThrow(`cannot read the path "${path}"`);
  });

  // Object.prototype's machinery is never a scenario field: a path through it would set a property on every
  // object in the process (prototype pollution), so these segments are refused wherever they appear.
  it.each(["__proto__.polluted", "stream.constructor.prototype.polluted", "producers[__proto__].x", "stream.prototype", "a[ constructor ]"])("%j is refused", (path) => {
    expect(() => parsePath(path, `${path}=1`)).toThrow(SweepError);
    expect(() => parsePath(path, `${path}=1`)).toThrow(/^--vary "[^"]+=1": "(__proto__|constructor|prototype)" cannot be part of a path \(no scenario field has that name\)$/);
  });

  it('"constructors" and "proto" are ordinary names', () => {
    expect(parsePath("a.constructors.proto")).toEqual(["a", "constructors", "proto"]);
  });
});

describe("applyVary", () => {
  const data = {
    name: "s",
    stream: { shards: 4 },
    producers: [{ name: "web", instances: 2, rate: { shape: "constant", value: "1000/s" } }],
    consumers: [
      { name: "analytics", kind: "kcl", workers: 1 },
      { name: "billing", kind: "kcl", workers: 2 },
    ],
  };
  const pristine = structuredClone(data);
  const set = (arg: string, value: unknown) => {
    const v = parseVary(arg);
    return applyVary(data, v, value) as typeof data;
  };

  it("stream.shards=8 sets the field in a copy and leaves the original untouched", () => {
    const out = set("stream.shards=8", 8);
    expect(out.stream.shards).toBe(8);
    expect(data).toEqual(pristine);
    expect(data.stream.shards).toBe(4);
  });

  it("the copy is deep: it shares no object or list with the original", () => {
    const out = set("stream.shards=8", 8);
    expect(out).not.toBe(data);
    expect(out.stream).not.toBe(data.stream);
    expect(out.producers).not.toBe(data.producers);
    expect(out.producers[0]).not.toBe(data.producers[0]);
    expect(out.consumers[1]).not.toBe(data.consumers[1]);
    out.producers[0]!.instances = 99;
    expect(data.producers[0]!.instances).toBe(2);
  });

  it("consumers[billing].workers=8 finds the element by name (index 1) and changes only it", () => {
    const out = set("consumers[billing].workers=8", 8);
    expect(out.consumers.map((c) => c.workers)).toEqual([1, 8]);
    expect(data.consumers[1]!.workers).toBe(2);
  });

  it("producers.web.instances and producers[0].instances set the same field", () => {
    expect(set("producers.web.instances=5", 5).producers[0]!.instances).toBe(5);
    expect(set("producers[0].instances=6", 6).producers[0]!.instances).toBe(6);
  });

  it("producers[0].rate.value reaches a nested field inside a list element", () => {
    expect(set("producers[0].rate.value=2500/s", "2500/s").producers[0]!.rate).toEqual({ shape: "constant", value: "2500/s" });
  });

  it("a field the file omits is added (stream.retention=48h)", () => {
    expect(set("stream.retention=48h", "48h").stream).toEqual({ shards: 4, retention: "48h" });
  });

  it("an unknown element name says which list lacks it and lists the names there", () => {
    expect(() => set("producers.mobile.instances=2", 2)).toThrow(new SweepError('--vary producers.mobile.instances: producers has no element named "mobile" (names: web)'));
    expect(() => set("consumers[ingest].workers=2", 2)).toThrow('consumers has no element named "ingest" (names: analytics, billing)');
  });

  it("a name in a list whose elements have none (autoscaling's policies) says to pick by index, and which index (helper-94)", () => {
    const policies = { ...data, autoscaling: [{ policy: "scaling-utils", maxShards: 16 }] };
    const at = (arg: string) => () => applyVary(policies, parseVary(arg), 4);
    expect(at("autoscaling[scaling-utils].maxShards=4")).toThrow(
      new SweepError('--vary autoscaling[scaling-utils].maxShards: autoscaling has no element named "scaling-utils" (its elements have no name, so pick one by index: use autoscaling[0].maxShards; [0] policy scaling-utils)'),
    );
    expect((applyVary(policies, parseVary("autoscaling[0].maxShards=4"), 4) as typeof policies).autoscaling[0]!.maxShards).toBe(4);
  });

  it("an index past the end says how many elements the list has", () => {
    expect(() => set("producers[3].instances=2", 2)).toThrow(new SweepError("--vary producers[3].instances: producers has 1 element(s); index 3 is out of range"));
    expect(() => set("consumers[2].workers=2", 2)).toThrow("consumers has 2 element(s); index 2 is out of range");
  });

  it("a path through a number (stream.shards.count) says stream.shards is not an object or a list", () => {
    expect(() => set("stream.shards.count=2", 2)).toThrow(new SweepError("--vary stream.shards.count: stream.shards is not an object or a list"));
  });

  it("segments that reach the prototype are refused even when built by hand, and pollute nothing", () => {
    for (const segments of [["__proto__", "polluted"], ["stream", "constructor", "prototype", "polluted"]]) {
      expect(() => applyVary(data, { path: segments.join("."), segments }, "yes")).toThrow(SweepError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(data).toEqual(pristine);
  });

  it("streams[enriched].shards=3 sizes one stream of a pipeline by its name", () => {
    const pipeline = { name: "p", streams: [{ name: "raw", shards: 2 }, { name: "enriched", shards: 1 }] };
    const out = applyVary(pipeline, parseVary("streams[enriched].shards=3"), 3) as typeof pipeline;
    expect(out.streams).toEqual([{ name: "raw", shards: 2 }, { name: "enriched", shards: 3 }]);
  });

  it("an error leaves the original untouched", () => {
    expect(() => set("producers.mobile.instances=2", 2)).toThrow(SweepError);
    expect(data).toEqual(pristine);
  });
});
