// A KCL application writing what it processes to a second stream (`output:`), whose workers crash: the new lease owners
// read the backlog in large calls and write each batch at once, and the output stream throttles those puts. That
// throttling is the catch-up's, not the steady state's: the verdict must name the crash, and say the output stream
// set the catch-up's pace only where the run shows it (helper-62: a crash's catch-up was blamed on the output stream —
// "bottleneck: output stream" — though four times the output shards left the lag as it was, and without the crash
// 0.1% of the puts were throttled). Counterfactual runs give the independent expectation for each verdict.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { runSummary } from "../../src/report/summary.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

interface Options {
  /** Shards of the output stream (enriched); 0: no output at all. */
  outShards: number;
  /** Records/s written to the 2-shard raw stream. */
  rate?: string;
  duration?: string;
  faults?: Record<string, unknown>[];
  /** The KCL application's poll settings. */
  poll?: Record<string, unknown>;
  /** helper-62's records: lognormal sizes (median 700 B, p99 3 KiB), Poisson arrivals; otherwise 800 B each. */
  lognormal?: boolean;
}

/**
 * raw (2 shards) ← 4 web servers at `rate` (1,200 records/s) → enricher (4 KCL workers, 5 ms a batch + 0.2 ms a record)
 * → enriched (`outShards` shards), each record 1.5 times larger: about 1,200 × 1.5 × 836 B ≈ 1.44 MiB/s of the output
 * stream's 2 MiB/s with 2 shards. Warmup 2 min.
 */
function run(o: Options): RunResult {
  return simulateScenario(
    scenarioOf({
      name: "output-catch-up",
      seed: 11,
      duration: o.duration ?? "6m",
      warmup: "2m",
      streams: [{ name: "raw", shards: 2 }, ...(o.outShards > 0 ? [{ name: "enriched", shards: o.outShards }] : [])],
      producers: [
        {
          name: "web",
          client: "sdk",
          stream: "raw",
          instances: 4,
          rate: { shape: "poisson", value: o.rate ?? "1200/s" },
          recordSize: o.lognormal ? { dist: "lognormal", median: "700B", p99: "3KiB" } : { dist: "fixed", size: "800B" },
          partitionKey: { kind: "random", length: 36 },
        },
      ],
      consumers: [
        {
          name: "enricher",
          kind: "kcl",
          stream: "raw",
          workers: 4,
          processing: { perRecord: "0.2ms", perBatch: "5ms" },
          checkpoint: { every: "30s" },
          ...(o.poll ? { poll: o.poll } : {}),
          ...(o.outShards > 0 ? { output: { stream: "enriched", sizeFactor: 1.5, partitionKey: { kind: "random", length: 36 } } } : {}),
        },
      ],
      faults: o.faults ?? [],
      slo: { endToEndP99: "10s", maxIteratorAge: "5s" },
    }),
  );
}

const crashAt3m = [{ at: "3m", kind: "worker-crash", consumer: "enricher", workers: 2 }];
const throttledPercent = (r: RunResult) => (100 * r.writers[0]!.throttledAttempts) / r.writers[0]!.attempts;
const enricher = (r: RunResult) => verdictOf(r).consumers[0]!;

describe("a crash's catch-up throttled by a 2-shard output stream, its reads not throttled", () => {
  // Calls of at most 2,500 records (2 MB, 1.91 MiB) stay under a shard's 2 MiB/s of reads: only the puts throttle.
  const poll = { maxRecords: 2500 };
  const crashed = run({ outShards: 2, poll, faults: crashAt3m });

  it("counterfactuals: without the crash under 1% of the puts throttle; with 8 output shards or no output the crash leaves about the same lag", () => {
    const calm = run({ outShards: 2, poll });
    expect(throttledPercent(calm)).toBeLessThan(1);
    expect(enricher(calm).bottleneck).toBe("none");
    expect(throttledPercent(crashed)).toBeGreaterThan(20);
    const lag = crashed.consumers[0]!.maxOldestUnprocessedAge;
    for (const other of [run({ outShards: 8, poll, faults: crashAt3m }), run({ outShards: 0, poll, faults: crashAt3m })]) {
      expect(other.consumers[0]!.maxOldestUnprocessedAge).toBeGreaterThan(0.75 * lag);
      expect(other.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(1.25 * lag);
    }
  });

  it("is held back by catch-up after the crash, not by the output stream; the sentence names the crash and where the throttling came", () => {
    const v = enricher(crashed);
    expect(v.readThrottledPercent).toBe(0);
    expect(v.bottleneck).toBe("catch-up after a fault");
    expect(v.fault).toMatchObject({ kind: "worker-crash", atUs: 180_000_000, outputOnly: true });
    expect(v.outputCatchUp).toMatchObject({ kind: "worker-crash", atUs: 180_000_000, stream: "enriched" });
    expect(v.outputCatchUp!.insideShare).toBeGreaterThanOrEqual(0.8);
    expect(v.outputCatchUp!.outsidePercent).toBeLessThanOrEqual(1);
    expect(v.explanation).toMatch(
      /^Consumer enricher fell behind after the worker crash at 0:03:00 \(its shards went unread until their leases moved; records waited up to [\d.]+ s unprocessed\), and it caught up at 0:0[34]:\d\d; no steady limit held it back\. Its output stream, enriched, throttled [\d.]+% of its put attempts after warmup, \d+% of them while it caught up after the worker crash at 0:03:00: [\d.]+% of its attempts then, [\d.]+% at other times, so the throttling is the catch-up's, not the steady state's\.$/,
    );
  });

  it("the pipeline line: the records processed again are of those processed, and raw's parts add up to what it accepted (helper-65)", () => {
    const c = crashed.consumers[0]!;
    expect(c.reprocessed).toBeGreaterThan(0);
    const raw = crashed.streams[0]!.accounting.accepted;
    expect(c.accounting.processed + c.accounting.unread).toBe(raw);
    const n = (x: number) => x.toLocaleString("en-US");
    expect(buildReportMarkdown(crashed, PROVENANCE)).toContain(
      `raw accepted ${n(raw)} (enricher: ${n(c.accounting.processed)} processed (${n(c.reprocessed)} of them again, after a lease changed hands), ${n(c.accounting.unread)} unread)`,
    );
  });

  it("the end-to-end SLO's why names the crash and the catch-up's puts, not the output stream as the cause", () => {
    const v = verdictOf(crashed);
    const slo = v.slos.find((s) => s.name === "endToEndP99")!;
    expect(slo.met).toBe(false);
    expect(slo.why).toMatch(/a worker crash at 0:03:00 left shards unread until their leases were taken over/);
    expect(slo.why).toMatch(/its puts to enriched were throttled mostly while it caught up \([\d.]+% of its put attempts then, [\d.]+% at other times\)/);
    expect(slo.why).not.toMatch(/writes what it processes|the catch-up reads were throttled/);
  });

  it("the iterator-age SLO's why gives the crash's lag, then the catch-up it held back: not a cause 'besides' it", () => {
    const slo = verdictOf(crashed).slos.find((s) => s.name === "maxIteratorAge")!;
    expect(slo.met).toBe(false);
    expect(slo.why).toMatch(/^its lag peaked at 0:03:\d\d, after the worker crash \(2 workers\) of enricher at 0:03:00: .*; Consumer enricher fell behind after the worker crash at 0:03:00 /);
    expect(slo.why).not.toMatch(/besides|writes what it processes/);
  });
});

describe("the output stream throttled at other times too, with records waiting far less than in the catch-up (helper-62's records)", () => {
  // After the catch-up the two record processors write in step, and a few percent of the puts throttle, while records
  // wait about 2 s; in the catch-up, about 40 s. The catch-up is what they waited for.
  const crashed = run({ outShards: 2, lognormal: true, duration: "7m", faults: [{ at: "4m", kind: "worker-crash", consumer: "enricher", workers: 2 }] });

  it("is held back by catch-up after the crash; the sentence gives the throttling at other times and the waits then", () => {
    const v = enricher(crashed);
    expect(v.bottleneck).toBe("catch-up after a fault");
    const o = v.outputCatchUp!;
    expect(o.insideShare).toBeGreaterThanOrEqual(0.8);
    expect(o.outsidePercent).toBeGreaterThan(1);
    expect(o.ageOutsideUs).toBeLessThan(0.5 * o.ageInsideUs);
    expect(v.explanation).toMatch(
      /Its output stream, enriched, throttled [\d.]+% of its put attempts after warmup, \d+% of them while it caught up after the worker crash at 0:04:00 \([\d.]+% of its attempts then, its records waiting up to [\d.]+ s unprocessed\); at other times it throttled [\d.]+% of them, while its records waited at most [\d.]+ s\.$/,
    );
  });
});

describe("an output stream too small for the steady state", () => {
  it("is the bottleneck without a crash (1 output shard), and with one", () => {
    for (const faults of [[], crashAt3m]) {
      const r = run({ outShards: 1, faults });
      const v = enricher(r);
      expect(throttledPercent(r)).toBeGreaterThan(50);
      expect(v.bottleneck).toBe("output stream");
      expect(v.outputCatchUp).toBeUndefined();
      expect(v.explanation).toMatch(/^Consumer enricher writes what it processes to enriched, which throttled [\d.]+% of its put attempts/);
    }
  });
});

describe("a catch-up whose pace the output stream sets", () => {
  // 1,300 records/s: 1.56 MiB/s of the output's 2 MiB/s. All 4 workers crash at 4 min and restart at 5: a minute's
  // backlog, worked off with the output's 0.44 MiB/s of room. By the end (10 min) it has not caught up; with 8 output
  // shards it catches up within three minutes of the restart.
  const faults = [
    { at: "4m", kind: "worker-crash", consumer: "enricher", workers: 4 },
    { at: "5m", kind: "worker-restart", consumer: "enricher", workers: 4 },
  ];
  const opts = { rate: "1300/s", duration: "10m", faults };
  const crashEffect = (r: RunResult) => r.faults.find((f) => f.kind === "worker-crash")!.effect;

  it("counterfactual: with 8 output shards it catches up; with 2, not by the end", () => {
    const wide = crashEffect(run({ outShards: 8, ...opts }));
    expect(wide?.kind === "lag" && wide.visible && wide.recoveredAtUs !== null && wide.recoveredAtUs < 8 * 60e6).toBe(true);
    const narrow = crashEffect(run({ outShards: 2, ...opts }));
    expect(narrow?.kind === "lag" && narrow.visible && narrow.recoveredAtUs === null).toBe(true);
  });

  it("is held back by catch-up after the crash, its record processor held by its puts longer than it processed: the puts set the pace", () => {
    const v = enricher(run({ outShards: 2, ...opts }));
    expect(v.bottleneck).toBe("catch-up after a fault");
    expect(v.fault).toMatchObject({ kind: "worker-crash", atUs: 240_000_000 });
    expect(v.processor!.busyHeld).toBeGreaterThan(v.processor!.busyProcessing);
    expect(v.outputCatchUp!.outsidePercent).toBeLessThanOrEqual(1);
    expect(v.explanation).toMatch(
      /^Consumer enricher has not caught up since the worker crash at 0:04:00 \(.*\): on shardId-\d+, whose records waited up to [\d.]+ min in the last quarter, its record processor waited for its puts to enriched \d+% of that quarter and processed \d+%, while its reader waited for room in the prefetch cache \d+% of it: its puts set how fast it catches up; its oldest unprocessed record grew to [\d.]+ min old\. Its output stream, enriched, throttled/,
    );
  });
});

describe("an enhanced fan-out consumer whose workers crash and restart, and which catches up before the last quarter", () => {
  // 2 shards of 900 records/s; both workers crash at 2 min and restart at 3: its shards go unread a minute or more.
  const r = (crash: boolean) =>
    simulateScenario(
      scenarioOf({
        seed: 5,
        duration: "8m",
        warmup: "1m",
        stream: { name: "events", shards: 2 },
        producers: [{ name: "api", client: "sdk", instances: 2, rate: { shape: "poisson", value: "1800/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
        consumers: [{ name: "efo-app", kind: "fanout", workers: 2, checkpoint: { every: "10s" } }],
        faults: crash
          ? [
              { at: "2m", kind: "worker-crash", consumer: "efo-app", workers: 2 },
              { at: "3m", kind: "worker-restart", consumer: "efo-app", workers: 2 },
            ]
          : [],
      }),
    );

  it("has no steady bottleneck, and does not read plainly 'keeps up': the crash left it behind", () => {
    const run = r(true);
    const verdict = verdictOf(run);
    const v = verdict.consumers[0]!;
    expect(run.consumers[0]!.maxIteratorAge).toBeGreaterThan(60e6);
    expect(v.bottleneck).toBe("none");
    expect(v.behindAfter).toEqual({ kind: "worker-crash", atUs: 120_000_000 });
    expect(v.explanation).toMatch(
      // Both workers crash, the leader among them: the restarted ones wait for its lock to expire (KCL 3.x: 2 min after its last heartbeat).
      /^Consumer efo-app has no steady bottleneck; the worker crash at 0:02:00 left it behind \(its shards went unread until their leases moved; the crash took the leader, and lease assignment waited 1 min \d+ s for a new leader, until 0:03:\d\d: the lock expired at 0:03:\d\d, 2 min after the leader's last heartbeat\), and it caught up at 0:0\d:\d\d \(iterator age at most [\d.]+ min; no record waited more than [\d.]+ min unprocessed\)\.$/,
    );
    expect(runSummary(run, verdict)).toMatch(/consumer efo-app: no steady bottleneck \(behind after the worker crash at 0:02:00\)/);
  });

  it("without the crash it keeps up", () => {
    const v = enricher(r(false));
    expect(v.bottleneck).toBe("none");
    expect(v.behindAfter).toBeUndefined();
    expect(v.explanation).toMatch(/^Consumer efo-app keeps up \(iterator age at most [\d.]+ s;/);
  });
});
