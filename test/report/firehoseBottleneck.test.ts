// What holds a delivery stream reading a Kinesis stream back, each case built for its one cause, with the counterfactual
// that moves its DataFreshness (or does not). Firehose polls each shard once a second (up to 10,000 records, 10 MiB), so
// a refused GetRecords call delays its records about a second: throttled reads hold it back only where records wait in
// the stream. Records overdue inside it, or a stage slower than buffering, name that stage; the buffering a size hint
// gives (a flush every few seconds) is the yardstick, not the interval.
import { describe, expect, it } from "vitest";
import { thousands } from "../../src/report/format.js";
import { backlogSentence, verdictOf } from "../../src/report/verdict.js";
import { hintsWait } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;
/** One shard written at `rate` records/s of 1,000 B; `pollers` KCL applications polling it every `interval`. */
const run = (rate: number, pollers: number, interval: string, firehose: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 1,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: `${rate}/s` }, recordSize: { dist: "fixed", size: "1000B" } }],
      consumers: Array.from({ length: pollers }, (_, i) => ({ name: `k${i}`, kind: "kcl", workers: 1, processing: { perRecord: "0.05ms" }, poll: { interval } })),
      firehose: [{ name: "f0", source: "s", ...firehose }],
      ...extra,
    }),
  );
  return { f: r.firehose[0]!, v: verdictOf(r).firehose[0]! };
};

describe("a delivery stream's bottleneck", () => {
  it("its destination, not its throttled reads: OpenSearch at 600 KiB/s under 900 KB/s in (helper-35's r4)", () => {
    const opensearch = (throughput: string) => ({ buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "opensearch", throughput } });
    const { f, v } = run(900, 1, "200ms", opensearch("600KiB/s"));
    // Most of its calls are refused (the KCL application takes the shard's 2 MiB/s), yet records pile up inside it.
    expect(f.sourceRead!.throttledCalls / f.sourceRead!.getRecordsCalls).toBeGreaterThan(0.5);
    expect(f.atEnd.overdue).toBeGreaterThan(0);
    expect(v.bottleneck).toBe("destination");
    // Alone on the shard (no refused call) it is as stale; twice the throughput delivers it all.
    const alone = run(900, 0, "200ms", opensearch("600KiB/s")).f;
    expect(alone.maxDataFreshness).toBeGreaterThan(0.8 * f.maxDataFreshness);
    const faster = run(900, 1, "200ms", opensearch("1200KiB/s")).f;
    expect(faster.maxDataFreshness).toBeLessThan(0.2 * f.maxDataFreshness);
    expect(faster.notDelivered).toBe(0);
  });

  it("its reads, where records wait in the stream: two KCL applications polling every 250 ms take the shard's 2 MiB/s", () => {
    const s3 = { buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3" } };
    const { f, v } = run(900, 2, "250ms", s3);
    const st = f.stages.p99.stagesUs;
    expect(st.beforeFirehose).toBeGreaterThan(10 * S);
    expect(st.beforeFirehose).toBeGreaterThan(Math.max(st.buffer, st.destination));
    expect(v.bottleneck).toBe("source reads");
    // Alone on the shard it is fresh within seconds.
    const alone = run(900, 0, "250ms", s3);
    expect(alone.f.maxDataFreshness).toBeLessThan(0.2 * f.maxDataFreshness);
    expect(alone.v.bottleneck).toBe("none");
  });

  it("its destination during an outage, though a 1 MiB size hint flushes every 2 s and the interval is 120 s (helper-35's r5)", () => {
    const s3 = { buffer: { size: "1MiB", interval: "120s" }, destination: { kind: "s3", putLatency: { dist: "lognormal", median: "300ms", p99: "2s" } } };
    const outage = { faults: [{ at: "4m", kind: "destination-outage", firehose: "f0", for: "90s" }] };
    const { f, v } = run(500, 0, "1s", s3, outage);
    // The slowest records waited at the destination, under the interval but far over the 2 s between flushes.
    expect(f.stages.p99.stagesUs.destination).toBeGreaterThan(60 * S);
    expect(f.stages.p99.stagesUs.destination).toBeLessThan(120 * S);
    expect(v.flushEveryUs!).toBeLessThan(3 * S);
    expect(v.bottleneck).toBe("destination");
    const calm = run(500, 0, "1s", s3);
    expect(calm.f.maxDataFreshness).toBeLessThan(0.1 * f.maxDataFreshness);
    expect(calm.v.bottleneck).toBe("none");
  });

  it("its destination during an outage, though its slowest records waited longer in the buffer (helper-35's 148)", () => {
    // 200 records/s of 1,000 B, 400/s from 133 s on, into a 5 MiB size hint: a flush every 26 s at first, then every 13 s.
    // The first minutes' buffering gives the buffer stage's p99 (over 20 s); a 30 s S3 outage at 2 min gives the
    // destination's (about 20 s, over the 14 s between flushes). The destination was compared with every stage, the
    // buffer's included, so the verdict was "none"; the buffer's wait is the hints' (and grows when the destination
    // cannot take a delivery), not a stage that holds it back.
    const s3 = { buffer: { size: "5MiB", interval: "120s" }, destination: { kind: "s3", putLatency: { dist: "lognormal", median: "100ms", p99: "2000ms" } } };
    const step = { producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "step", levels: [{ at: "0s", value: "200/s" }, { at: "133s", value: "400/s" }] }, recordSize: { dist: "fixed", size: "1000B" } }] };
    const { f, v } = run(400, 0, "1s", s3, { ...step, faults: [{ at: "2m", kind: "destination-outage", firehose: "f0", for: "30s" }] });
    const st = f.stages.p99.stagesUs;
    expect(st.buffer).toBeGreaterThan(st.destination);
    expect(st.destination).toBeGreaterThan(v.flushEveryUs!);
    expect(v.bottleneck).toBe("destination");
    // Without the outage its records are fresher by about 20 s, and nothing holds it back.
    const calm = run(400, 0, "1s", s3, step);
    expect(calm.f.maxDataFreshness).toBeLessThan(f.maxDataFreshness - 15 * S);
    expect(calm.v.bottleneck).toBe("none");
  });

  it("its Lambda transformation at its concurrency, its queue growing (helper-57's fh-tx)", () => {
    // 800 records/s of 1,000 B into one shard: the transformation's 1 MB buffer cuts an invocation of ~1,000 records,
    // each taking 100 ms + 7 s per MB ≈ 7.1 s; 5 at once (5 per source shard) transform at most 5,000 ÷ 7.1 ≈ 704
    // records/s, under the 800 that come in: its queue grows, while the buffers' hints still flush on time.
    const tx = (concurrency?: number) => ({
      buffer: { size: "16MiB", interval: "60s" },
      transform: { buffer: { size: "1MB", interval: "60s" }, duration: { perInvocation: "100ms", perMB: "7s" }, ...(concurrency ? { concurrency } : {}) },
      destination: { kind: "s3" },
    });
    const { f, v } = run(800, 0, "1s", tx());
    expect(f.transform!.concurrency).toBe(5);
    // A record that came in at t waits for the ~96·t records queued ahead (800 − 704 a second) at 704 a second, 0.136·t,
    // then its 7.1 s invocation: at 600 s those that came in after (600 − 7.1) ÷ 1.136 ≈ 522 s are still inside. Those in
    // longer than the transformation's 60 s interval, its 7.1 s invocation and a second (68.1 s: came in before 531.9 s)
    // are overdue: about 10 s of records, ≈ 8,000 (it was 0 while the allowance was both buffers' intervals, 120 s,
    // though these records had not reached the destination buffer).
    expect(f.atEnd.overdue).toBeGreaterThan(0.85 * 8_000);
    expect(f.atEnd.overdue).toBeLessThan(1.1 * 8_000);
    expect(v.bottleneck).toBe("transformation");
    // It delivers about what 5 invocations at once can (≤ 704 records/s), and says so.
    expect(v.deliveredRecordsPerSecond).toBeLessThan(705);
    expect(v.deliveredRecordsPerSecond).toBeGreaterThan(600);
    expect(v.explanation).toMatch(/held back by its Lambda transformation: 5 invocations at once \(its concurrency\) ran 9\d(\.\d+)?% of the run, and it delivered \d{3} records\/s of the 80\d records\/s that came in after warmup/);
    // With 10 at once (≈ 1,408 records/s) it keeps up: no bottleneck, no such clause.
    const wider = run(800, 0, "1s", tx(10));
    expect(wider.v.bottleneck).toBe("none");
    expect(wider.v.explanation).not.toMatch(/held back/);
    expect(wider.v.deliveredRecordsPerSecond).toBeGreaterThan(770);
  });
});

// helper-82's sharedreads: Firehose and four KCL applications polling every 500 ms share one shard's 5 calls/s and 2 MiB/s.
// 500 records/s of 1 KiB (Poisson, random 36 B keys), hints of 5 MiB / 60 s: the stream's traffic fills the size hint in
// about 5 MiB ÷ 530 KB/s ≈ 10 s. Most of the delivery stream's calls are refused; the reads that get through bring
// the records in bursts, and a burst fills the size hint and leaves the rest of the buffer waiting for the next one.
// The slowest records then wait mostly in the buffer, not in the stream, and the rule that asked the time before the
// delivery stream to be the largest named nothing ("waiting for a buffering hint").
describe("a delivery stream sharing its shard's reads", () => {
  const shared = (apps: number, buffer = { size: "5MiB", interval: "60s" }, poll = "500ms") => {
    const r = simulateScenario(
      scenarioOf({
        seed: 7,
        duration: "8m",
        warmup: "2m",
        stream: { name: "clicks", shards: 1 },
        producers: [{ name: "web", client: "sdk", instances: 2, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } }],
        consumers: ["a", "b", "c", "d"].slice(0, apps).map((name) => ({ name, kind: "kcl", workers: 1, poll: { interval: poll } })),
        firehose: [{ name: "archive", source: "clicks", buffer, destination: { kind: "s3" } }],
        slo: { deliveryP99: "30s" },
      }),
    );
    const v = verdictOf(r);
    return { r, f: r.firehose[0]!, fv: v.firehose[0]!, slo: v.slos.find((s) => s.name === "deliveryP99")!, backlog: backlogSentence(r, v) };
  };

  it("names its reads when refused reads hold its records in the buffer (helper-82's sharedreads)", () => {
    const { r, f, fv, slo } = shared(4);
    const sr = f.sourceRead!;
    expect(sr.throttledCalls / sr.getRecordsCalls).toBeGreaterThan(0.9);
    // The slowest 1% waited in the buffer, far longer than the hints make them wait at the stream's traffic.
    const st = f.stages.p99.stagesUs;
    expect(st.buffer).toBeGreaterThan(st.beforeFirehose);
    const hints = hintsWait(r, f)!;
    expect(hints / S).toBeGreaterThan((5 * 1_048_576) / (500 * 1_060) - 0.5);
    expect(hints / S).toBeLessThan(11.5);
    expect(st.buffer + st.beforeFirehose - hints).toBeGreaterThan(30 * S);
    expect(fv.bottleneck).toBe("source reads");
    expect(slo.why).toMatch(/in the delivery stream's buffer, waiting for a buffering hint; .*; the bottleneck is its reads of clicks: 3\d\d of 360 GetRecords calls \(9\d\.\d%\) were refused \(ReadProvisionedThroughputExceeded\), the shard's 5 calls\/s and 2 MiB\/s shared with consumers a, b, c and d \(every refusal while the read budget was spent\): records waited in the stream/);
    expect(fv.explanation).toMatch(/; held back by its reads of clicks: 3\d\d of 360 GetRecords calls/);
    // Alone on the shard its p99 is the hints' wait and a little; smaller hints barely move it.
    const alone = shared(0);
    expect(alone.fv.bottleneck).toBe("none");
    expect(alone.f.deliveryLatency.p99).toBeLessThan(0.3 * f.deliveryLatency.p99);
    expect(alone.f.deliveryLatency.p99).toBeLessThan(hints + 2 * S);
    const smaller = shared(4, { size: "1MiB", interval: "10s" });
    expect(smaller.f.deliveryLatency.p99).toBeGreaterThan(0.8 * f.deliveryLatency.p99);
    expect(smaller.fv.bottleneck).toBe("source reads");
  });

  it("counts the records it had not read by the end where its latency is a lower bound (helper-82: 17,980 left out)", () => {
    // Born, not delivered: like the records inside it at the end, they count at their age then (all before it).
    const { f, backlog } = shared(4);
    const sr = f.sourceRead!;
    // The reader's own count of what it had not read (its positions in the shard's log), all born after warmup here.
    expect(sr.unread).toBeGreaterThan(10_000);
    expect(f.atEnd.unread).toBe(sr.unread);
    expect(backlog).toContain(`, and ${thousands(sr.unread)} born after warmup were still unread in its source stream clicks.`);
  });

  it("does not name its reads when they hardly hold it back: two applications polling every 250 ms", () => {
    // Four in ten of its calls are refused, but its slowest records wait about as long as the hints alone make them.
    const { r, f, fv } = shared(2, undefined, "250ms");
    expect(f.sourceRead!.throttledCalls / f.sourceRead!.getRecordsCalls).toBeGreaterThan(0.3);
    const st = f.stages.p99.stagesUs;
    expect(st.buffer + st.beforeFirehose - hintsWait(r, f)!).toBeLessThan(5 * S);
    expect(fv.bottleneck).toBe("none");
    // Alone on the shard it is faster by a second or so.
    const alone = shared(0);
    expect(alone.f.deliveryLatency.p99).toBeGreaterThan(f.deliveryLatency.p99 - 3 * S);
  });
});
