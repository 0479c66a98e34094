// A cold shard that throttled in bursts gets a split for its bursts when its keys divide them. One stream of 3 shards:
// `events` (1,500 records/s of 200 B, Zipf keys) puts 16.3% of the records on shard 1, under an even 33.3% by more than
// 10% (a cold shard), and `uploads` (6 records/s of 100 KiB, a 2 s linger) has four tenants whose keys all hash into
// shard 1: each of its PutRecords requests, about 12 records (1.17 MiB), reaches shard 1 at once, over its 1 MiB
// bucket, though the shard is offered 64% of its limits on average. Only shard 1 throttles. Before, it got no split
// ("not for its share of the keys", and nothing to do); the split of its range, rehearsed, cuts its throttled attempts
// by about nine tenths. Record granularity: every request reaches the shards at its own instant, as the linger makes it.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { BURST_SPLIT_SHARE, splitProposal } from "../../src/result/splitProposal.js";
import { reasonsOf } from "../../src/sweep/summary.js";
import { PROVENANCE } from "./runResultFixture.js";

const MiB = 1_048_576;
const TENANTS = ["tenant-2", "tenant-6", "tenant-12", "tenant-15"];
const hashKeyOf = (key: string) => BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);

function scenario(o: { tenants?: string[]; uploads?: Record<string, unknown>; reshards?: unknown[] } = {}): Record<string, unknown> {
  const tenants = o.tenants ?? TENANTS;
  return {
    name: "bursty-uploads",
    seed: 5,
    duration: "5m",
    warmup: "1m",
    stream: { name: "s", shards: 3 },
    producers: [
      {
        name: "events",
        client: "sdk",
        instances: 4,
        rate: { shape: "poisson", value: "1500/s" },
        recordSize: { dist: "fixed", size: "200B" },
        partitionKey: { kind: "zipf", keys: 200, exponent: 1, names: "ranked", prefix: "user-" },
      },
      {
        name: "uploads",
        client: "sdk",
        instances: 1,
        linger: "2s",
        rate: { shape: "poisson", value: "6/s" },
        recordSize: { dist: "fixed", size: "100KiB" },
        partitionKey: { kind: "hotKeys", keys: tenants.map((key) => ({ key, share: 1 / tenants.length })) },
        ...o.uploads,
      },
    ],
    fidelity: { granularity: "record" },
    slo: { writeThrottledPercent: 0.1 },
    ...(o.reshards ? { reshards: o.reshards } : {}),
  };
}
const runIt = (data: Record<string, unknown>): RunOutputs => runScenario(ScenarioSchema.parse(data), PROVENANCE);
const SHARD = "shardId-000000000001";
const shardOf = (o: RunOutputs, id: string) => o.result.shards.find((s) => s.id === id)!;
const uploads = (o: RunOutputs) => o.result.producers.find((p) => p.name === "uploads")!;

describe("a cold shard that throttled in bursts its keys divide: a split for its bursts", () => {
  const o = runIt(scenario());
  const p = o.verdict.hotShardSplits[0]!;
  const md = o.files["report.md"];

  it("the tenants hash into shard 1; it alone throttles, cold (16.3% of the records) and within its limits on average", () => {
    const s = shardOf(o, SHARD);
    for (const t of TENANTS) {
      const h = hashKeyOf(t);
      expect(h >= BigInt(s.startingHashKey) && h <= BigInt(s.endingHashKey)).toBe(true);
    }
    expect(o.result.shards.filter((x) => x.throttledRecords > 0).map((x) => x.id)).toEqual([SHARD]);
    expect(o.verdict.hotShardSplits).toHaveLength(1);
    expect(p).toMatchObject({ shard: SHARD, belowEven: true, evenlyLoaded: false });
    expect(p.shareOfStream).toBeCloseTo(0.163, 3);
    // By hand: uploads' 6 × (102,400 B + an 8.5 B key) and events' share of 1,500 records/s of 200 B + their keys: about
    // 640 KB/s, 61% of 1 MiB/s (the measured rates are within the arrivals' noise of it).
    expect(p.load.peakUtilisation).toBeLessThan(1);
    expect(Math.abs(p.load.utilisation / ((6 * 102_408.5 + 0.163 * 1_500 * 207) / MiB) - 1)).toBeLessThan(0.05);
  });

  it("the split balances it between two tenants each (the busier child at half its load), with a reshards: entry", () => {
    expect(p.split).not.toBeNull();
    const h = BigInt(p.split!.hashKey);
    expect(TENANTS.filter((t) => hashKeyOf(t) < h)).toHaveLength(2);
    expect(p.bursts!.busierShare!).toBeLessThanOrEqual(BURST_SPLIT_SHARE);
    expect(p.bursts!.busierShare!).toBeCloseTo(0.5, 2);
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    const j = json.verdict.hotShardSplits![0]!;
    expect(j.reshard).toEqual({ at: "1m", kind: "split", shard: SHARD, hashKey: p.split!.hashKey });
    expect(j.bursts!.busierShare).toBeCloseTo(0.5, 2);
    expect(j.bursts!.retries).toEqual([{ writer: "uploads", lost: uploads(o).lostAfterWarmup, maxAttempts: 3 }]);
    // By hand: 6 records/s × 2 s of linger = 12 records a request (under maxRequestSize's 102 and maxBatchRecords' 500),
    // each of 102,400 B of data and its tenant's key (8 B for tenant-2 and tenant-6, 9 B for the others), all on shard 1.
    const [q] = j.bursts!.requests;
    expect(q).toMatchObject({ writer: "uploads", lingerSeconds: 2, by: "linger" });
    expect(Math.abs(q!.records / 12 - 1)).toBeLessThan(0.02);
    expect(q!.bytes / q!.records).toBeCloseTo(102_408.5, 0);
    expect(q!.onShardRecords).toBeCloseTo(q!.records, 9);
  });

  it("report.md proposes it for its bursts, in the bullet and the section, with its SDK producer's retries and linger as the alternatives", () => {
    expect(md).toContain(`It is not hot for its keys but throttled in bursts: a split at hash key ${p.split!.hashKey} would give each child its part of them`);
    expect(md).toContain(`- **Split at hash key ${p.split!.hashKey} for its bursts** (NewStartingHashKey)`);
    expect(md).toMatch(/- The split is for its bursts, not its load: each child would take its part of the shard's load \(\d+\.\d% and \d+\.\d% of it\) and, as its writers' bursts spread over their keys like their records, that part of every burst, into write buckets of its own/);
    const lost = uploads(o).lostAfterWarmup;
    expect(lost).toBeGreaterThan(0);
    expect(md).toContain(`uploads gave up ${lost} records after warmup, throttled past its 3 attempts (retry.maxAttempts; on every shard it writes to)`);
    // By hand: 6 records/s × 2 s of linger = 12 records a request, of 102,408.5 B (data and key): 1.17 MiB, all on shard 1.
    expect(md).toMatch(/- uploads makes its bursts: its PutRecords requests carry about 12 records \(1\.1\d MiB\) each, gathered over its linger of 2 s, all of them for this shard, more at once than a shard's write buckets hold/);
    expect(yamlEntries(md).map((e) => e.shard)).toEqual([SHARD]);
  });

  it("a sweep's write reason for it is its bursts, as the run's remedy says (writeRemedy), not write capacity", () => {
    const reasons = reasonsOf(o.result, o.verdict).filter((x) => x.slo === "writeThrottledPercent");
    expect(reasons).toEqual([
      {
        slo: "writeThrottledPercent",
        reason: `bursts: ${SHARD} throttled in bursts at ${(100 * p.load.utilisation).toFixed(1)}% of its limits on average, a split for them proposed (shard write bytes limit)`,
        kind: "bursts on a shard at the shard write bytes limit",
      },
    ]);
  });

  it("rehearsed, the split cuts the throttling on its range by about nine tenths, each child taking about half the uploads", () => {
    const after = runIt(scenario({ reshards: yamlEntries(md) }));
    const children = after.result.shards.filter((s) => s.life?.parents.includes(SHARD));
    expect(children).toHaveLength(2);
    // The children open at 1:30 (the split takes 30 s): against what the shard throttled from then on, unsplit.
    const openedAt = children[0]!.life!.openedAt;
    const series = o.result.hotShardSeries.find((x) => x.shard === SHARD)!.throttledRecords;
    const step = o.result.resolutionUs;
    const before = series.reduce((n, x, i) => n + (i * step >= openedAt ? x : 0), 0);
    const kids = children.reduce((n, c) => n + c.throttledRecords, 0);
    expect(before).toBeGreaterThan(500);
    expect(kids).toBeLessThan(0.15 * before);
    for (const c of children) expect(Math.abs(c.incomingBytes / (children[0]!.incomingBytes + children[1]!.incomingBytes) - 0.5)).toBeLessThan(0.1);
    expect(uploads(after).lostAfterWarmup).toBeLessThan(0.25 * uploads(o).lostAfterWarmup);
  });

  it("the alternatives the report names, rehearsed: 10 attempts lose none of its records; a 100 ms linger throttles none", () => {
    const retried = runIt(scenario({ uploads: { retry: { maxAttempts: 10 } } }));
    expect(uploads(retried).lostAfterWarmup).toBe(0);
    const smooth = runIt(scenario({ uploads: { linger: "100ms" } }));
    expect(shardOf(smooth, SHARD).throttledRecords).toBe(0);
  });
});

describe("a cold shard whose bursts are one tenant's: no split (its busier child would keep 95% of its load)", () => {
  const o = runIt(scenario({ tenants: ["tenant-2"] }));
  const p = o.verdict.hotShardSplits[0]!;

  it("no split and no reshards: entry; report.md says why, and still names the retries and the linger", () => {
    expect(p).toMatchObject({ shard: SHARD, belowEven: true, split: null });
    expect(p.bursts!.busierShare!).toBeGreaterThan(BURST_SPLIT_SHARE);
    const md = o.files["report.md"];
    expect(md).not.toContain("```yaml");
    expect(md).toContain(`- No split of it is proposed: the split that balances it would leave ${(100 * p.bursts!.busierShare!).toFixed(1)}% of its load on one child, and so most of each burst (over 75%: its keys do not divide).`);
    expect(md).toContain("It is not hot for its keys, and a split would keep most of its bursts on one child, so none is proposed (see Hot shard remedy).");
    expect(md).toContain("- uploads makes its bursts:");
    expect(md).toContain("- Retries that wait longer take its bursts:");
    expect(reasonsOf(o.result, o.verdict).find((x) => x.slo === "writeThrottledPercent")!.reason).toMatch(/^bursts: shardId-000000000001 throttled in bursts at [\d.]+% of its limits on average, its keys do not divide them \(shard write bytes limit\)$/);
  });

  it("counterfactual: that split, rehearsed, leaves most of the throttling (the tenant's bursts stay on one child)", () => {
    const run = o.result.streams[0]!;
    const t = run.hotShardTraffic[0]!;
    const balancing = splitProposal(run.stream.name, t, run.stream.limits).split!;
    const after = runIt(scenario({ tenants: ["tenant-2"], reshards: [{ at: "0s", kind: "split", shard: SHARD, hashKey: balancing.hashKey }] }));
    const kids = after.result.shards.filter((s) => s.life?.parents.includes(SHARD)).reduce((n, c) => n + c.throttledRecords, 0);
    // Split at the start: its children take the whole time after warmup, as the shard did.
    expect(kids).toBeGreaterThan(0.9 * shardOf(o, SHARD).throttledRecords);
  });
});

function yamlEntries(md: string): { at: string; kind: string; shard: string; hashKey: string }[] {
  const m = /```yaml\n([\s\S]*?)```/.exec(md);
  return m ? (parseYaml(m[1]!) as { reshards: { at: string; kind: string; shard: string; hashKey: string }[] }).reshards : [];
}
