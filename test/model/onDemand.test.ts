// On-demand capacity ("Choose the data stream capacity mode", https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html):
// a new stream takes 4 MB/s at once; traffic up to twice the previous peak is taken at once, above it writes may be
// throttled for about 15 minutes while the service splits shards; a single partition key still caps at a shard's
// 1,000 records/s in every mode; On-demand Advantage's warm throughput is ready at once; a switch of capacity mode
// changes how the stream scales from then on.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { parseScenario, ScenarioError } from "../../src/scenario/index.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;
const MIN = 60 * S;
const MiB = 1_048_576;

const producer = (rate: unknown, size = "1000B", partitionKey: unknown = { kind: "random", length: 36 }) => ({ name: "web", client: "sdk", instances: 8, rate, recordSize: { dist: "fixed", size }, partitionKey });
const step = (...levels: [string, string][]) => ({ shape: "step", levels: levels.map(([at, value]) => ({ at, value })) });

const throttled = (r: ReturnType<typeof simulateScenario>) => r.shards.reduce((a, s) => a + s.throttledRecords, 0);
const incoming = (r: ReturnType<typeof simulateScenario>) => r.shards.reduce((a, s) => a + s.incomingRecords, 0);

/** The first and last step with throttled writes (µs from the start), or null. */
function throttledWindow(r: ReturnType<typeof simulateScenario>): { first: number; last: number } | null {
  const t = r.series.throttledRecords;
  const first = t.findIndex((x) => x > 0);
  if (first < 0) return null;
  let last = first;
  t.forEach((x, i) => (x > 0 ? (last = i) : undefined));
  return { first: first * r.resolutionUs, last: last * r.resolutionUs };
}

describe("a new on-demand stream at 3 MB/s", () => {
  // 3,000 records/s of 1,000 B (+ 36 B keys): 3.1 MB/s, under a new stream's 4 MB/s on 4 shards (777 KB/s and 750 records/s each).
  const r = simulateScenario(scenarioOf({ seed: 4, duration: "20m", stream: { mode: "on-demand" }, producers: [producer({ shape: "poisson", value: "3000/s" })] }));

  it("starts with 4 shards and never throttles", () => {
    expect(r.stream.openShards.atStart).toBe(4);
    expect(throttled(r)).toBe(0);
    expect(r.accounting.balanced).toBe(true);
  });

  it("the service splits each shard above 500 KB/s in two at the first check (1 min), done 14 minutes later (scaleDelay 15 min − 1 min)", () => {
    expect(r.reshards).toHaveLength(1);
    const [split] = r.reshards;
    expect(split).toMatchObject({ kind: "on-demand-split", by: "on-demand", calledAtUs: 1 * MIN, doneAtUs: 15 * MIN, openAfter: 8 });
    expect(split!.closed).toHaveLength(4);
  });
});

describe("a surge to 3× the previous peak on On-demand Standard", () => {
  // previousPeak 2 MiB/s: 4 shards (twice that at 1 MiB/s a shard). 1,000 records/s of 1,000 B until 10:00 (260 KB/s a
  // shard, below the split trigger), then 6,300/s: 6.5 MB/s, 3.1× the previous peak, 1,575 records/s a shard.
  const scenario = (mode: string) =>
    scenarioOf({
      seed: 6,
      duration: "35m",
      stream: mode === "provisioned" ? { shards: 4 } : { mode, onDemand: { previousPeak: "2MiB/s" } },
      producers: [producer(step(["0s", "1000/s"], ["10m", "6300/s"]))],
    });
  const r = simulateScenario(scenario("on-demand"));

  it("throttles from the surge for about scaleDelay (15 min ± 1.5 min), then not at all", () => {
    const w = throttledWindow(r)!;
    expect(w.first).toBeGreaterThanOrEqual(10 * MIN);
    expect(w.first).toBeLessThan(10 * MIN + 10 * S);
    const length = w.last - w.first;
    expect(length).toBeGreaterThan(13.5 * MIN);
    expect(length).toBeLessThan(16.5 * MIN);
    expect(r.accounting.balanced).toBe(true);
  });

  it("the service's split is decided at the first check that saw the surge (11:00) and done at 25:00", () => {
    expect(r.stream.openShards.atStart).toBe(4);
    const splits = r.reshards.filter((x) => x.by === "on-demand");
    expect(splits[0]).toMatchObject({ calledAtUs: 11 * MIN, doneAtUs: 25 * MIN });
    // Sized by what the producers ask for, not by their retries: 6,300 records/s over 4 shards is 1,575 records/s
    // (1.63 MB/s) a shard, 3.15 times the 500 records/s trigger (3.26 times 500 KB/s): 4 even children each, 16 shards.
    // Counting the throttled records' retries as load too would size it for several times the surge.
    expect(splits[0]!.openAfter).toBe(16);
  });

  it("a provisioned stream of the same 4 shards throttles to the end", () => {
    const p = simulateScenario(scenario("provisioned"));
    expect(throttledWindow(p)!.last).toBeGreaterThan(34 * MIN);
    expect(p.reshards).toEqual([]);
  });
});

describe("a single partition key at 1,500 records/s", () => {
  // One key carries all the traffic: it lands on one shard whatever the hash ranges, capped at 1,000 records/s.
  const hot = { kind: "hotKeys", keys: [{ key: "the-key", share: 1 }] };
  const run = (stream: Record<string, unknown>) =>
    simulateScenario(scenarioOf({ seed: 8, duration: "25m", stream, producers: [producer({ shape: "constant", value: "1500/s" }, "100B", hot)] }));
  const modes: [string, Record<string, unknown>][] = [
    ["provisioned", { shards: 4 }],
    ["on-demand", { mode: "on-demand" }],
    ["on-demand-advantage", { mode: "on-demand-advantage", onDemand: { warmThroughput: "20MiB/s" } }],
  ];
  for (const [mode, stream] of modes) {
    it(`throttles in ${mode}, to the end of the run (the last 5 minutes too)`, () => {
      const r = run(stream);
      const t = r.series.throttledRecords;
      const lastFive = t.slice(Math.floor((20 * MIN) / r.resolutionUs)).reduce((a, b) => a + b, 0);
      expect(lastFive).toBeGreaterThan(0);
      // Accepted: at most 1,000 records/s over the run, + the 1 s burst of the key's first shard and of each child it moves to (± 0.1% for the batch windows).
      expect(incoming(r)).toBeLessThanOrEqual(1000 * 25 * 60 * 1.001 + 1000 * (1 + r.reshards.length));
      expect(incoming(r)).toBeGreaterThan(1000 * 25 * 60 * 0.99);
      expect(r.stream.openShards.atEnd).toBeLessThanOrEqual(40);
    });
  }
});

describe("On-demand Advantage with warm throughput 20 MiB/s", () => {
  // 1 MiB/s of 4 KiB records, then 18 MiB/s (4,608 records/s) from 5:00.
  const traffic = step(["0s", "256/s"], ["5m", "4608/s"]);
  const run = (stream: Record<string, unknown>, reshards: unknown[] = []) =>
    simulateScenario(scenarioOf({ seed: 9, duration: "10m", stream, producers: [producer(traffic, "4KiB")], reshards }));

  it("holds 20 shards from the start and takes the jump to 18 MiB/s without throttling", () => {
    const r = run({ mode: "on-demand-advantage", onDemand: { warmThroughput: "20MiB/s" } });
    expect(r.stream.openShards.atStart).toBe(20);
    expect(throttled(r)).toBe(0);
  });

  it("a warm-throughput event at 2:00 opens the 20 shards at once (warmDelay 0 s) and the jump does not throttle", () => {
    const r = run({ mode: "on-demand-advantage" }, [{ at: "2m", kind: "warm-throughput", value: "20MiB/s" }]);
    expect(r.stream.openShards.atStart).toBe(4);
    expect(r.reshards[0]).toMatchObject({ kind: "on-demand-split", calledAtUs: 2 * MIN, doneAtUs: 2 * MIN, openAfter: 20 });
    expect(throttled(r)).toBe(0);
  });

  it("On-demand Standard (a new stream, 4 MB/s) throttles the same jump", () => {
    const r = run({ mode: "on-demand" });
    expect(throttled(r)).toBeGreaterThan(0);
    expect(18 * MiB).toBeGreaterThan(4_000_000);
  });
});

describe("On-demand Advantage warm throughput at its documented maximum, 10 GiB/s", () => {
  // UpdateStreamWarmThroughput API reference (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html):
  // by default you cannot "Scale to more than 10 GiBps for an on-demand stream", and WarmThroughputMiBps is in MiB/s:
  // at most 10 × 1,024 = 10,240 MiB/s, 10,737,418,240 B/s, which at a shard's 1 MiB/s is 10,240 shards. Not On-demand
  // Standard's 10 GB/s (10,000,000,000 B/s: 9,537 shards at 1 MiB/s), not UpdateShardCount's 10,000 shards.
  const DOCUMENTED_MAX_MIB_PER_SECOND = 10 * 1024;
  const text = (warm: string, reshards = "") =>
    [
      "name: warm",
      "duration: 1m",
      `stream: { name: s, mode: on-demand-advantage, onDemand: { warmThroughput: "${warm}" } }`,
      "producers:",
      "  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
      reshards,
      "",
    ].join("\n");
  const problems = (t: string): string[] => {
    try {
      parseScenario(t, "warm.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => p.message);
      throw e;
    }
    return [];
  };

  it("10GiB/s holds 10,240 shards from the start, and the run opens them all", () => {
    const scenario = parseScenario(text("10GiB/s"), "warm.yaml");
    expect(scenario.stream!.shards).toBe(DOCUMENTED_MAX_MIB_PER_SECOND);
    const r = simulateScenario(scenario);
    expect(r.stream.openShards).toMatchObject({ atStart: DOCUMENTED_MAX_MIB_PER_SECOND, atEnd: DOCUMENTED_MAX_MIB_PER_SECOND });
  });

  it("a warm-throughput event to 10GiB/s opens 10,240 shards (not 9,537, 10 GB/s at 1 MiB/s a shard)", () => {
    const scenario = parseScenario(text("1GiB/s", "reshards: [{ at: 20s, kind: warm-throughput, value: 10GiB/s }]"), "warm.yaml");
    const r = simulateScenario(scenario);
    expect(r.stream.openShards.atStart).toBe(1024);
    expect(r.reshards).toHaveLength(1);
    expect(r.reshards[0]).toMatchObject({ kind: "on-demand-split", by: "warm throughput", calledAtUs: 20 * S, openAfter: DOCUMENTED_MAX_MIB_PER_SECOND });
    expect(r.stream.openShards.atEnd).toBe(DOCUMENTED_MAX_MIB_PER_SECOND);
  });

  it("10,240 MiB/s is allowed; 10,241 MiB/s is an error naming 10 GiB/s", () => {
    expect(problems(text(`${DOCUMENTED_MAX_MIB_PER_SECOND}MiB/s`))).toEqual([]);
    expect(problems(text(`${DOCUMENTED_MAX_MIB_PER_SECOND + 1}MiB/s`))).toEqual(['"10241MiB/s" is out of range: allowed 0 B/s to 10 GiB/s']);
    expect(problems(text("1GiB/s", `reshards: [{ at: 20s, kind: warm-throughput, value: ${DOCUMENTED_MAX_MIB_PER_SECOND + 1}MiB/s }]`))).toEqual(['"10241MiB/s" is out of range: allowed 0 B/s to 10 GiB/s']);
  });

  it("10GB/s (decimal) is 9,537 shards: ceil(10,000,000,000 ÷ 1,048,576)", () => {
    expect(parseScenario(text("10GB/s"), "warm.yaml").stream!.shards).toBe(9537);
  });
});

describe("On-demand Standard's documented maximum, 10 GB/s of writes: 9,537 shards, at the start and for the service's splits", () => {
  // Kinesis quotas and limits (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html): on-demand
  // streams "scale up to 10 GB/s of write" in us-east-1, us-west-2 and eu-west-1. At a shard's 1 MiB/s that is
  // ceil(10,000,000,000 ÷ 1,048,576) = 9,537 shards (9,536 take 9,999,220,736 B/s). Not UpdateShardCount's 10,000.
  const CEILING = Math.ceil(10_000_000_000 / MiB);
  const start = (previousPeak: string) => scenarioOf({ duration: "3s", stream: { mode: "on-demand", onDemand: { previousPeak } }, producers: [producer({ shape: "constant", value: "10/s" })] }).stream!.shards;

  it("twice a previous peak of 4.7 GB/s starts 8,965 shards; twice 6 GB/s (12 GB/s) starts 9,537, not 10,000", () => {
    expect(CEILING).toBe(9537);
    expect(start("4.7GB/s")).toBe(Math.ceil(9.4e9 / MiB));
    expect(start("6GB/s")).toBe(CEILING);
    expect(start("10GB/s")).toBe(CEILING);
  });

  it("from 8,965 shards, 6 GB/s offered (twice is 12 GB/s) splits at the first check up to 9,537 open shards, no more", () => {
    // 64 KiB records (+ 36 B keys), 91,502 a second: 6.0 GB/s, 669 KB/s a shard of 8,965, each above the 500 KB/s trigger.
    const r = simulateScenario(
      scenarioOf({
        seed: 11,
        duration: "3s",
        stream: { mode: "on-demand", onDemand: { previousPeak: "4.7GB/s", checkInterval: "1s", scaleDelay: "2s" } },
        producers: [{ ...producer({ shape: "constant", value: "91502/s" }, "64KiB"), instances: 40 }],
      }),
    );
    expect(r.stream.openShards.atStart).toBe(8965);
    expect(r.reshards).toHaveLength(1);
    expect(r.reshards[0]).toMatchObject({ by: "on-demand", calledAtUs: 1 * S, doneAtUs: 2 * S, openAfter: CEILING });
    expect(r.stream.openShards.atEnd).toBe(CEILING);
  });
});

describe("a switch-mode event changes how the stream scales after it", () => {
  // 6,000 records/s of 1,000 B on 4 shards: 1,500 records/s a shard, throttled from the start.
  const run = (stream: Record<string, unknown>, reshards: unknown[], traffic: unknown = { shape: "poisson", value: "6000/s" }) =>
    simulateScenario(scenarioOf({ seed: 10, duration: "30m", stream, producers: [producer(traffic)], reshards }));

  it("provisioned → on-demand at 5:00: the service splits and the throttling stops about 15 minutes later", () => {
    const r = run({ shards: 4 }, [{ at: "5m", kind: "switch-mode", mode: "on-demand" }]);
    const w = throttledWindow(r)!;
    expect(w.first).toBeLessThan(10 * S);
    expect(w.last).toBeGreaterThan(18 * MIN);
    expect(w.last).toBeLessThan(21 * MIN);
    expect(r.reshards[0]).toMatchObject({ by: "on-demand", calledAtUs: 5 * MIN, doneAtUs: 19 * MIN });
    expect(r.accounting.balanced).toBe(true);
  });

  it("on-demand → provisioned at 2:00: a surge at 5:00 is never absorbed (no split after the switch)", () => {
    const r = run({ mode: "on-demand", onDemand: { previousPeak: "2MiB/s" } }, [{ at: "2m", kind: "switch-mode", mode: "provisioned" }], step(["0s", "1000/s"], ["5m", "6000/s"]));
    expect(r.reshards).toEqual([]);
    expect(throttledWindow(r)!.last).toBeGreaterThan(29 * MIN);
  });
});

describe("enhanced fan-out consumers per stream: 20, or 50 with On-demand Advantage", () => {
  const messages = (stream: string, n: number): string[] => {
    const text = [
      "name: efo",
      "duration: 1m",
      `stream: ${stream}`,
      "producers:",
      "  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
      "consumers:",
      ...Array.from({ length: n }, (_, i) => `  - { name: f${i}, kind: fanout }`),
      "",
    ].join("\n");
    try {
      parseScenario(text, "efo.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => p.message).filter((m) => m.includes("at most"));
      throw e;
    }
    return [];
  };

  it("a provisioned stream: 20 pass, 21 are an error", () => {
    expect(messages("{ shards: 1 }", 20)).toEqual([]);
    expect(messages("{ shards: 1 }", 21)).toEqual(["21 enhanced fan-out consumers: a provisioned stream allows at most 20 (50 with mode: on-demand-advantage)"]);
  });

  it("On-demand Standard: 21 are an error", () => {
    expect(messages("{ mode: on-demand }", 21)).toEqual(["21 enhanced fan-out consumers: an On-demand Standard stream allows at most 20 (50 with mode: on-demand-advantage)"]);
  });

  it("On-demand Advantage: 50 pass the limit, 51 are an error", () => {
    expect(messages("{ mode: on-demand-advantage }", 50)).toEqual([]);
    expect(messages("{ mode: on-demand-advantage }", 51)).toEqual(["51 enhanced fan-out consumers: an On-demand Advantage stream allows at most 50"]);
  });
});
