// Reads refused while a consumer works off its start-up backlog are the start-up's, not its bottleneck. A KCL 3.x
// application reads nothing until the leader assigns its leases (LeaseAssignmentManager), then reads the backlog in
// large calls that overdraw the shards' 2 MiB/s read budgets (API Reference GetRecords: a call returning more than the
// budget holds blocks the shard's next calls until it is repaid). With a warmup shorter than that, over 1% of its calls
// after warmup were refused, and the verdict named the read limits of a consumer that keeps up.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;

/**
 * 4 shards written at 2,000 records/s of 1,000 B in all, read by a KCL application of `version` with 2 workers (0.5 ms a
 * record), and by `others` besides.
 */
const run = (version: 2 | 3, warmup: string, others: Record<string, unknown>[] = []) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 1,
      duration: "10m",
      warmup,
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
      consumers: [{ name: "k", kind: "kcl", workers: 2, kcl: { version }, processing: { perRecord: "0.5ms" } }, ...others],
    }),
  );
  const v = verdictOf(r);
  return { v, cv: v.consumers[0]! };
};

describe("a KCL 3.x application's reads refused while it works off its start-up backlog", () => {
  it("keeps up: the refusals are the start-up's, which the warmup advice leaves out", () => {
    const { v, cv } = run(3, "30s");
    // Its records waited up to ~35 s at the start; the warmup advice says a minute leaves that out.
    expect(v.warmup.suggestedUs).toBe(60 * S);
    expect(cv.readThrottledPercent).toBeGreaterThan(1);
    expect(cv.startupThrottles!.insideShare).toBeGreaterThanOrEqual(0.8);
    expect(cv.startupThrottles!.settledAtUs).toBeGreaterThan(30 * S);
    expect(cv.startupThrottles!.settledAtUs).toBeLessThanOrEqual(60 * S);
    expect(cv.fallingBehind).toBe(false);
    expect(cv.bottleneck).toBe("none");
    expect(cv.explanation).toMatch(/\d\.\d% of its GetRecords calls were throttled, \d+% of them before 0:00:\d\d, while the stream's consumers worked off their start-up backlogs: the start-up's reads, not its steady state\./);
  });

  it("with the warmup the advice suggests, or as a KCL 2.x application (leases taken at once), its calls are hardly refused", () => {
    const later = run(3, "1m").cv;
    expect(later.readThrottledPercent).toBeLessThanOrEqual(1);
    expect(later.startupThrottles).toBeUndefined();
    expect(later.bottleneck).toBe("none");
    expect(run(2, "30s").cv.readThrottledPercent).toBeLessThanOrEqual(1);
  });

  it("beside a KCL 2.x application polling every 200 ms its calls are refused after the start-up too: the read limits hold it", () => {
    // helper-40's probe: most of the refusals are still the start-up's large reads, but over 1% of its calls after its
    // ages settled were refused as well. Those go on at any warmup: with the 2 minutes the advice suggests, it is still
    // held by the read limits.
    const poller = { name: "q0", kind: "kcl", workers: 1, processing: { perRecord: "0.01ms" }, poll: { interval: "200ms" } };
    const { v, cv } = run(3, "30s", [poller]);
    expect(cv.startupThrottles).toBeUndefined();
    expect(cv.bottleneck).toMatch(/^shard read (bytes|calls)$/);
    const later = run(3, `${v.warmup.suggestedUs! / S}s`, [poller]).cv;
    expect(later.readThrottledPercent).toBeGreaterThan(1);
    expect(later.bottleneck).toMatch(/^shard read (bytes|calls)$/);
  });

  it("a Lambda consumer beside it, which keeps up, is refused by the KCL application's start-up reads: not its bottleneck either", () => {
    // helper-40's probe: the Lambda mapping has no start-up backlog of its own (its ages stay under 12 s), but the KCL
    // application's large backlog reads overdraw the shards' byte budgets while its own calls come.
    const lambda = { name: "l0", kind: "lambda", startingPosition: "TRIM_HORIZON", batchSize: 100, function: { timeout: "60s", duration: { perInvocation: "20ms", perRecord: "0.5ms", variability: 0 } } };
    const { v } = run(3, "30s", [lambda]);
    const l0 = v.consumers.find((c) => c.name === "l0")!;
    expect(l0.readThrottledPercent).toBeGreaterThan(1);
    expect(l0.startupThrottles!.insideShare).toBeGreaterThanOrEqual(0.8);
    expect(l0.fallingBehind).toBe(false);
    expect(l0.bottleneck).toBe("none");
    // With the warmup the advice suggests, none of its calls is refused.
    const later = run(3, `${v.warmup.suggestedUs! / S}s`, [lambda]).v.consumers.find((c) => c.name === "l0")!;
    expect(later.readThrottledPercent).toBe(0);
  });
});
