// Issue 11: start-up transients must not decide verdicts. A maximum that belongs to the start-up (the series is
// still draining at the warmup's end) is flagged with the warmup the run needed; records a KCL application skips
// while its workers balance the leases at start are the start-up's, not the consumer's bottleneck.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import { startupTransient, warmupAdvice } from "../../src/result/warmup.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { runScenario, simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;

describe("startupTransient", () => {
  // One step a second; 100 steps.
  const steady = (v: number) => Array.from({ length: 100 }, () => v);

  it("finds a draining start-up: 20 s at the warmup's end (10 s), 1 s a step less, settled where it is back under 1.5 × steady + a step", () => {
    const s = steady(1 * S);
    for (let i = 0; i <= 19; i++) s[10 + i] = Math.max(1 * S, (20 - i) * S);
    // Steady 1 s: threshold 2.5 s, first reached at 20 − i ≤ 2.5 → i = 18 (t = 28 s), and it stays there.
    expect(startupTransient(s, S, 10 * S)).toEqual({ maxUs: 20 * S, atUs: 10 * S, settledAtUs: 28 * S });
  });

  it("flags nothing when the series is settled at the warmup's end", () => {
    expect(startupTransient(steady(1 * S), S, 10 * S)).toBeNull();
  });

  it("flags nothing when a later peak (a fault, a spike) is higher than the start-up's", () => {
    const s = steady(1 * S);
    for (let i = 0; i < 5; i++) s[10 + i] = 10 * S;
    s[70] = 30 * S;
    expect(startupTransient(s, S, 10 * S)).toBeNull();
  });

  it("flags nothing when the series settles for a while and then climbs back past a quarter of the start-up's maximum (a starved poller's lag comes and goes)", () => {
    // The draining start-up of the first test, settled at 28 s; then from 60 s a second climb to 12 s (over a quarter
    // of the 20 s maximum) and back. A longer warmup would not leave that out: no flag.
    const s = steady(1 * S);
    for (let i = 0; i <= 19; i++) s[10 + i] = Math.max(1 * S, (20 - i) * S);
    for (let i = 0; i < 12; i++) s[60 + i] = (1 + i) * S;
    expect(startupTransient(s, S, 10 * S)).toBeNull();
    // A later bump that stays under a quarter of the maximum (4 s) keeps the flag.
    for (let i = 0; i < 12; i++) s[60 + i] = Math.min(4, 1 + i) * S;
    expect(startupTransient(s, S, 10 * S)).toEqual({ maxUs: 20 * S, atUs: 10 * S, settledAtUs: 28 * S });
  });

  it("flags nothing when the series is under its threshold only for the run's last seconds (fewer than the 30 s hold)", () => {
    // A lag that comes and goes all run (8 s at 200 s, 12 s at 0, from a start at 300 s): its steady level is 0 (the
    // second half's median), threshold 1 s. It never stays under it for 30 s; the last 12 steps at 0 are one more dip,
    // not a settling (as fanout-vs-polling's starved pollers once were flagged for, at the last 4 s of the run).
    const s = Array.from({ length: 100 }, (_, i) => (i === 0 ? 300 * S : i % 20 < 8 ? 200 * S : 0));
    expect(s.slice(88)).toEqual(Array.from({ length: 12 }, () => 0));
    expect(startupTransient(s, S, 0)).toBeNull();
    // The same, with 30 s at 0 at the end: that is a settling, and the start-up's 300 s is flagged.
    const settled = [...s, ...Array.from({ length: 30 }, () => 0)];
    expect(startupTransient(settled, S, 0)).toMatchObject({ maxUs: 300 * S, atUs: 0 });
  });

  it("flags nothing when the series never settles (a consumer falling further behind is the run, not its start)", () => {
    const s = Array.from({ length: 100 }, (_, i) => (10 + i) * S);
    expect(startupTransient(s, S, 10 * S)).toBeNull();
  });
});

describe("a KCL application whose first worker holds every lease until the others steal theirs", () => {
  // 16 shards, 4 workers: the first takes all 16 leases, the others steal one per taker pass (every 20.05 s), so
  // the leases are balanced after about 4 passes (~80 s). With 2 processing slots per worker (1 ms a record), one
  // worker handles 2,000 of the 4,000 records/s: it falls behind until the others hold their share, then drains.
  const scenario = (warmup: string) =>
    scenarioOf({
      seed: 3,
      duration: "10m",
      warmup,
      stream: { shards: 16 },
      producers: [{ name: "web", client: "sdk", instances: 8, rate: { shape: "poisson", value: "4000/s" }, recordSize: { dist: "fixed", size: "500B" } }],
      consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, workers: 4, checkpoint: { every: "60s" }, processing: { perRecord: "1ms", concurrency: 2 } }],
      slo: { endToEndP99: "5s" },
    });

  it("with a 30 s warmup: the oldest unprocessed age peaks in the start-up, skips are start-up skips, and a 2-minute warmup is suggested", () => {
    const v = judge(simulateScenario(scenario("30s")));
    const b = v.warmup.boundaryMaxima.find((x) => x.metric === "maxOldestUnprocessedAge");
    expect(b?.of).toBe("app");
    // Behind from the start until the leases are balanced: the peak is before 90 s and settled before 2 minutes.
    expect(b!.atUs).toBeLessThan(90 * S);
    expect(b!.settledAtUs).toBeLessThan(120 * S);
    const skips = v.warmup.skips.find((x) => x.of === "app")!;
    expect(skips.startup).toBe(true);
    expect(skips.untilUs).toBeLessThanOrEqual(120 * S);
    expect(v.warmup.suggestedUs).toBe(120 * S);
    // Skips of the start-up are not what holds a consumer that keeps up back.
    expect(v.consumers[0]!.bottleneck).toBe("none");
  });

  it("says so in report.md and report.json", () => {
    const out = runScenario(scenario("30s"), { scenarioFile: "w.yaml", scenarioSha256: "0" });
    const report = JSON.parse(out.files["report.json"]) as ReportJson;
    expect(report.verdict.warmup?.suggestedWarmupSeconds).toBe(120);
    expect(out.files["report.md"]).toMatch(/- The warmup \(30 s\) did not leave the start-up out: app's oldest unprocessed age peaked at [\d.]+ s at 0:00:\d\d, still draining the start-up, and settled by 0:0\d:\d\d; app skipped [\d,]+ records between/);
    expect(out.files["report.md"]).toContain("a warmup of 2 min (`warmup: 2m`) would leave them out.");
  });

  it("with the suggested 2-minute warmup: nothing to flag", () => {
    const v = judge(simulateScenario(scenario("2m")));
    expect(v.warmup.boundaryMaxima).toEqual([]);
    expect(v.warmup.suggestedUs).toBeNull();
    expect(v.consumers[0]!.bottleneck).toBe("none");
  });
});

describe("a fault inside the warmup's reach is not the start-up (helper-44)", () => {
  // A KCL application (2 workers, checkpoints every 30 s) drains its start-up by 0:35; one worker crashes at 0:55. Its
  // shards wait for the lease timeout: the oldest unprocessed record peaks at 54.6 s at 1:49, then the new owner starts
  // at LATEST and skips 55,830 records. The advice called that "still draining the start-up" and suggested a 2-minute
  // warmup, which took the crash out of the verdict.
  const run = (faults: Record<string, unknown>[]) =>
    simulateScenario(
      scenarioOf({
        name: "crash",
        seed: 7,
        duration: "6m",
        warmup: "1m",
        stream: { name: "s", shards: 4 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        consumers: [{ name: "c", kind: "kcl", workers: 2, processing: { perRecord: "0.2ms" }, checkpoint: { every: "30s" } }],
        faults,
      }),
    );

  it("suggests no longer warmup for the crash's lag or skips, which the verdict keeps", () => {
    const r = run([{ at: "55s", kind: "worker-crash", consumer: "c", workers: 1 }]);
    expect(r.consumers[0]!.maxOldestUnprocessedAge).toBeGreaterThan(50_000_000);
    const a = warmupAdvice(r);
    expect(a.boundaryMaxima).toEqual([]);
    expect(a.skips.every((s) => !s.startup)).toBe(true);
    expect(a.suggestedUs).toBeNull();
    // Without the crash the lag after warmup is small: the 54.6 s was the crash's.
    expect(run([]).consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(5_000_000);
  });
});
