// The split proposal for a shard a KPL producer with aggregation throttles. Each of the producer's processes packs
// the user records it has for a shard into one aggregate RecordMaxBufferedTime T after the first of them (or at
// AggregationMaxSize): a process's buffer for a shard holds 1 + Poisson(λ) user records, λ = its user records for
// the shard within T, so u user records/s become u ÷ (1 + λ) Kinesis records/s (the aggregates here are far below
// AggregationMaxSize: 51,200 B hold ~1,700 records of 20 B). A child with half the keys gets u ÷ 2 user records with
// λ ÷ 2: u/2 ÷ (1 + λ/2) Kinesis records, not half the parent's u ÷ (1 + λ) — and when λ is large, about
// instances ÷ T aggregates per shard whatever its share. The proposal must say so, and replaying it must agree.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import type { AggregatingWriter, Load, ShardTraffic, UserRecords } from "../../src/result/runResult.js";
import { splitProposal } from "../../src/result/splitProposal.js";
import { PROVENANCE } from "../report/runResultFixture.js";

const T = 0.1; // RecordMaxBufferedTime, s
const STAT_SECONDS = 90;

function scenario(o: { instances: number; rate: number; bufferedTime?: string }, reshards: unknown[] = []) {
  return ScenarioSchema.parse({
    name: "kpl-split",
    seed: 5,
    duration: "100s",
    warmup: "10s",
    stream: { name: "events", shards: 1, reshardDuration: { splitMerge: "5s" } },
    producers: [
      {
        name: "app",
        client: "kpl",
        instances: o.instances,
        rate: { shape: "poisson", value: `${o.rate}/s` },
        recordSize: { dist: "fixed", size: "20B" },
        partitionKey: { kind: "random", length: 4 },
        kpl: { recordMaxBufferedTime: o.bufferedTime ?? "100ms" },
      },
    ],
    reshards,
  });
}

/** The ```yaml block of report.md (the proposal's `reshards:` entries). */
function reshardsOf(o: RunOutputs): unknown[] {
  const m = /```yaml\n([\s\S]*?)```/.exec(o.files["report.md"]);
  expect(m).not.toBeNull();
  return (parseYaml(m![1]!) as { reshards: unknown[] }).reshards;
}

/**
 * Each open child's incoming Kinesis records/s over the second half of the run (from 50 s: after the split at 10 s + 5 s,
 * the KPL moves its queue for the closed parent to one child, whose backlog takes a while to drain), and its throttled
 * share of attempts then.
 */
function children(o: RunOutputs): { incoming: number; throttledShare: number }[] {
  const run = o.result.streams[0]!;
  const from = Math.round(50_000_000 / o.result.resolutionUs);
  return o.result.shards
    .filter((s) => s.life && s.life.parents.length > 0 && s.life.closedAt === null)
    .map((s) => {
      const series = run.hotShardSeries.find((x) => x.shard === s.id)!;
      const sum = (xs: number[]) => xs.slice(from).reduce((a, b) => a + b, 0);
      const incoming = sum(series.incomingRecords);
      const throttled = sum(series.throttledRecords);
      return { incoming: incoming / ((o.result.durationUs - from * o.result.resolutionUs) / 1e6), throttledShare: throttled / (incoming + throttled) };
    });
}

/** User records/s the producer offered after warmup (measured). */
const users = (o: RunOutputs) => o.result.producers[0]!.offeredAfterWarmup / STAT_SECONDS;
/** Hand: u user records/s over `instances` processes' buffers of T: u ÷ (1 + λ), λ = u × T ÷ instances. */
const aggregates = (u: number, instances: number, t = T) => u / (1 + (u * t) / instances);

describe("buffers that fill by time: 150 processes, 15,000 user records/s of 20 B on one shard", () => {
  // λ = 15,000 × 0.1 ÷ 150 = 10: 15,000 ÷ 11 = 1,364 Kinesis records/s on the shard, 136% of its 1,000. Each child:
  // 7,500 ÷ 6 = 1,250 (125%), near the 1,500 (150 ÷ 100 ms) the processes send a shard when λ is large; half the
  // parent's would be 682, "within limits", which replayed sat at the 1,000 records/s limit, 99% throttled.
  const o = runScenario(scenario({ instances: 150, rate: 15_000 }), PROVENANCE);
  const [p] = o.verdict.hotShardSplits;

  it("the shard throttles, and the children get the aggregates of half the user records each: 1,250 Kinesis records/s, not 682", () => {
    expect(o.result.shards[0]!.throttledRecords).toBeGreaterThan(0);
    const child = aggregates(users(o) / 2, 150);
    expect(Math.abs(child / 1_250 - 1)).toBeLessThan(0.01);
    for (const c of p!.split!.children) expect(Math.abs(c.recordsPerSecond / child - 1)).toBeLessThan(0.005);
    expect(Math.abs(p!.load.recordsPerSecond / aggregates(users(o), 150) - 1)).toBeLessThan(0.005);
    // The symmetric spread balances at the middle of the range.
    expect(p!.split!.hashKey).toBe((2n ** 127n).toString());
  });

  it("one split is not enough: it does not fit, and an even split needs the n with u/n ÷ (1 + λ/n) ≤ 1,000: 5, not 2", () => {
    expect(p!.fits).toBe(false);
    // u/n ≤ 1,000 × (1 + u·T/(n·150))  ⇔  n ≥ u × (1 − 1,000 × T ÷ 150) ÷ 1,000.
    const n = Math.ceil((users(o) * (1 - (1_000 * T) / 150)) / 1_000);
    expect(n).toBe(5);
    expect(p!.evenChildren).toBe(n);
    expect(p!.childrenNeeded).toBe(n);
  });

  it("report.md says the children's Kinesis records and that one split is not enough; report.json gives the writer's user records", () => {
    const md = o.files["report.md"];
    expect(md).toMatch(/would leave its children 1,2\d\d Kinesis records\/s and 1,2\d\d Kinesis records\/s expected: not enough on its own/);
    expect(md).toContain("app writes with the KPL and aggregates");
    expect(md).toContain("up to about 1,500 aggregates a second (150 every 100 ms)");
    expect(md).toContain("**One split is not enough**");
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    const w = json.verdict.hotShardSplits![0]!.writers[0]!;
    expect(Math.abs(w.userRecordsPerSecond! / users(o) - 1)).toBeLessThan(0.01);
  });

  it("replayed, the children throttle, each at the 1,000 records/s limit with most of its attempts throttled, as the proposal said (it does not fit, each child offered more than the limit takes)", () => {
    const replay = runScenario(scenario({ instances: 150, rate: 15_000 }, reshardsOf(o)), PROVENANCE);
    const cs = children(replay);
    expect(cs).toHaveLength(2);
    for (const c of cs) {
      expect(c.incoming).toBeGreaterThan(950);
      expect(c.incoming).toBeLessThan(1_050);
      expect(c.throttledShare).toBeGreaterThan(0.5);
    }
    expect(p!.fits).toBe(false);
    p!.split!.children.forEach((c, i) => expect(c.recordsPerSecond).toBeGreaterThan(cs[i]!.incoming));
  });
});

describe("buffers of a few records: 150 processes, 3,900 user records/s (λ = 2.6 on the shard, 1.3 on a child)", () => {
  // 3,900 ÷ 3.6 = 1,083 Kinesis records/s on the shard (throttled); each child 1,950 ÷ 2.3 = 848, within the limit, where
  // half the parent's would be 542.
  const o = runScenario(scenario({ instances: 150, rate: 3_900 }), PROVENANCE);
  const [p] = o.verdict.hotShardSplits;

  it("the children get 1,950 ÷ 2.3 = 848 Kinesis records/s each, and fit", () => {
    expect(o.result.shards[0]!.throttledRecords).toBeGreaterThan(0);
    const child = aggregates(users(o) / 2, 150);
    for (const c of p!.split!.children) expect(Math.abs(c.recordsPerSecond / child - 1)).toBeLessThan(0.005);
    expect(p!.fits).toBe(true);
  });

  it("replayed, each child's incoming Kinesis records/s is within 10% of the proposal's", () => {
    const replay = runScenario(scenario({ instances: 150, rate: 3_900 }, reshardsOf(o)), PROVENANCE);
    const cs = children(replay);
    expect(cs).toHaveLength(2);
    p!.split!.children.forEach((c, i) => expect(Math.abs(cs[i]!.incoming / c.recordsPerSecond - 1)).toBeLessThan(0.1));
  });
});

describe("count-light buffers: 200 processes, 1,300 user records/s, RecordMaxBufferedTime 10 ms (λ = 0.065 on the shard)", () => {
  // Most buffers hold one record, sent plain: the shard gets 1,300 ÷ 1.065 = 1,221 Kinesis records/s, each child
  // 650 ÷ 1.0325 = 630. Half the parent's, 610, is within 4% of it: with so little aggregation the old arithmetic and
  // the new agree, and the new one is the KPL's.
  const o = runScenario(scenario({ instances: 200, rate: 1_300, bufferedTime: "10ms" }), PROVENANCE);
  const [p] = o.verdict.hotShardSplits;

  it("the children get 650 ÷ 1.0325 Kinesis records/s each, within 4% of half the parent's", () => {
    expect(o.result.shards[0]!.throttledRecords).toBeGreaterThan(0);
    const child = aggregates(users(o) / 2, 200, 0.01);
    const half = aggregates(users(o), 200, 0.01) / 2;
    expect(Math.abs(child / half - 1)).toBeLessThan(0.04);
    for (const c of p!.split!.children) expect(Math.abs(c.recordsPerSecond / child - 1)).toBeLessThan(0.005);
  });

  it("replayed, each child's incoming Kinesis records/s is within 2% of the proposal's (half the parent's is 2–3% under it)", () => {
    const replay = runScenario(scenario({ instances: 200, rate: 1_300, bufferedTime: "10ms" }, reshardsOf(o)), PROVENANCE);
    const cs = children(replay);
    expect(cs).toHaveLength(2);
    p!.split!.children.forEach((c, i) => expect(Math.abs(cs[i]!.incoming / c.recordsPerSecond - 1)).toBeLessThan(0.02));
  });
});

describe("traffic built by hand: a KPL writer's keys and spread by their user records", () => {
  const LIMITS = { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 };
  const START = 0n;
  const END = 2n ** 128n - 1n;
  const none: Load = { recordsPerSecond: 0, bytesPerSecond: 0, peakRecordsPerSecond: 0, peakBytesPerSecond: 0 };
  const writer = (instances: number, peakToMean = 1): AggregatingWriter => ({ name: "app", instances, recordMaxBufferedTimeUs: 100_000, aggregationMaxSize: 51_200, meanDataBytes: 20, peakToMean });
  const u = (records: number): UserRecords[] => [{ recordsPerSecond: records, keyBytesPerSecond: records * 8 }];
  function traffic(w: AggregatingWriter, keys: { at: number; users: number }[], spread = 0): ShardTraffic {
    return {
      shard: "shardId-000000000000",
      startingHashKey: START.toString(),
      endingHashKey: END.toString(),
      writers: [{ name: "app", ...none, peakToMean: w.peakToMean }],
      keys: keys.map((k, i) => ({ key: `key-${i + 1}`, hashKey: ((END * BigInt(Math.round(k.at * 1e6))) / 1_000_000n).toString(), ...none, users: u(k.users) })),
      spread: { ...none, users: u(spread) },
      aggregatedKeys: 0,
      aggregating: [w],
    };
  }

  it("keys of 3,600, 2,700 and 2,700 user records/s from 300 processes: each alone is 3,600 ÷ 2.2 or 2,700 ÷ 1.9 Kinesis records/s, too hot", () => {
    // The shard: 9,000 ÷ (1 + 3) = 2,250; its keys' shares of that would be 900 and 675, each under the limit.
    const p = splitProposal("events", traffic(writer(300), [{ at: 0.2, users: 3_600 }, { at: 0.5, users: 2_700 }, { at: 0.8, users: 2_700 }]), LIMITS);
    expect(p.load.recordsPerSecond).toBeCloseTo(9_000 / 4, 6);
    expect(p.tooHot.map((k) => k.key)).toEqual(["key-1", "key-2", "key-3"]);
    expect(p.tooHot[0]!.recordsPerSecond).toBeCloseTo(3_600 / 2.2, 6);
    expect(p.tooHot[1]!.recordsPerSecond).toBeCloseTo(2_700 / 1.9, 6);
    expect(p.childrenNeeded).toBeNull();
    expect(p.fits).toBe(false);
  });

  it("two keys of 900 user records/s from 3 processes (λ = 30 each): 900 ÷ 31 Kinesis records/s each alone, the split between them, and 1,800 ÷ 61 on the shard", () => {
    const p = splitProposal("events", traffic(writer(3), [{ at: 0.3, users: 900 }, { at: 0.7, users: 900 }]), LIMITS);
    expect(p.split!.beforeKey).toBe("key-2");
    for (const c of p.split!.children) expect(c.recordsPerSecond).toBeCloseTo(900 / 31, 6);
    expect(p.load.recordsPerSecond).toBeCloseTo(1_800 / 61, 6);
  });

  it("at the writer's peak (×1.5) a child's user records are aggregated at the peak: 2,250 ÷ 2.5 = 900, not 1.5 × 1,500 ÷ 2 = 750", () => {
    // 3,000 user records/s of random keys from 150 processes: λ = 2 on the shard (1,000 Kinesis records/s), 1 on a child
    // (750); at the peak, 4,500 and 2,250 user records/s: λ = 3 and 1.5.
    const p = splitProposal("events", traffic(writer(150, 1.5), [], 3_000), LIMITS);
    expect(p.load.recordsPerSecond).toBeCloseTo(1_000, 6);
    expect(p.load.peakRecordsPerSecond).toBeCloseTo(4_500 / 4, 6);
    for (const c of p.split!.children) {
      expect(c.recordsPerSecond).toBeCloseTo(1_500 / 2, 6);
      expect(c.peakRecordsPerSecond).toBeCloseTo(2_250 / 2.5, 6);
    }
    expect(p.fits).toBe(true);
    // An even split of 15,000 user records/s from 150 processes needs 5 pieces (3,000 ÷ 3 = 1,000 each); 4 give 3,750 ÷ 3.5 = 1,071.
    const q = splitProposal("events", traffic(writer(150), [], 15_000), LIMITS);
    expect(q.evenChildren).toBe(5);
    expect(q.childrenNeeded).toBe(5);
  });
});

describe("an evenly loaded stream written by KPL processes whose buffers fill by time", () => {
  // 2 shards, 300 KPL processes, 20,000 user records/s of 20 B on random keys: 10,000 a shard. With n shards each gets
  // 20,000 ÷ n user records/s, λ = that ÷ 300 × 0.1 s more per buffer, so 20,000 ÷ n ÷ (1 + λ) aggregates a second
  // (aggregates far under 51,200 B). n = 12: 1,666.7 ÷ 1.556 = 1,071 (over 1,000); 13: 1,538.5 ÷ 1.513 = 1,017 (over);
  // 14: 1,428.6 ÷ 1.476 = 968 (within). Doubling to 4 shards leaves 5,000 ÷ 2.667 = 1,875.
  const run = (shards: number) =>
    runScenario(
      ScenarioSchema.parse({
        name: "kpl-even",
        seed: 3,
        duration: "4m",
        warmup: "1m",
        stream: { name: "s", shards },
        producers: [{ name: "fleet", client: "kpl", instances: 300, rate: { shape: "poisson", value: "20000/s" }, recordSize: { dist: "fixed", size: "20B" }, partitionKey: { kind: "random", length: 16 } }],
        slo: { writeThrottledPercent: 1 },
      }),
      PROVENANCE,
    );
  const two = run(2);

  it("the remedy gives the shards the stream needs with the aggregates re-made for each: about 14, not 4", () => {
    const md = two.files["report.md"]!;
    expect(md).toContain("update-shard-count; with the KPL's aggregates re-made for each shard, about 14, 7 for this shard's load: doubling to 4 halves every shard's hash key range, not its aggregates (above)");
  });

  it("replayed: 14 shards take 968 Kinesis records/s each and throttle nothing; 12 still throttle", () => {
    const fourteen = JSON.parse(run(14).files["report.json"]!) as ReportJson;
    expect(fourteen.verdict.slos[0]!.met).toBe(true);
    const perShard = fourteen.shards.reduce((n, s) => n + s.incomingRecords, 0) / 14 / 180;
    expect(perShard).toBeGreaterThan(968 * 0.97);
    expect(perShard).toBeLessThan(968 * 1.03);
    const twelve = JSON.parse(run(12).files["report.json"]!) as ReportJson;
    expect(twelve.verdict.slos[0]!.met).toBe(false);
  });
});
