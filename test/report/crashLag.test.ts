// A crash of a KCL application's worker that puts it behind is what holds it back, though its calls are refused
// throughout by the shard's shared 5 calls/s: it kept up under the same refusals before the crash (helper-38's k2a).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

describe("a KCL application whose worker crashes while another application takes most of the shards' calls", () => {
  // Two shards of 500 records/s. Application c (two workers, polling every 500 ms) shares each shard's 5 calls/s with
  // application o (polling every 200 ms): over 6 calls a second a shard are asked for, so some are refused all run.
  // At 6 min one of c's workers crashes, and its shard's records wait unread until its lease moves to the other worker.
  const run = (crash: boolean, withOther: boolean) =>
    verdictOf(
      simulateScenario(
        scenarioOf({
          seed: 1,
          duration: "8m",
          warmup: "1m",
          stream: { name: "s", shards: 2 },
          producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
          consumers: [
            { name: "c", kind: "kcl", workers: 2, processing: { perRecord: "200us" }, checkpoint: { every: "10s" }, poll: { interval: "500ms" } },
            ...(withOther ? [{ name: "o", kind: "kcl", workers: 1, processing: { perRecord: "20us" }, checkpoint: { every: "10s" }, poll: { interval: "200ms" } }] : []),
          ],
          faults: crash ? [{ at: "6m", kind: "worker-crash", consumer: "c", workers: 1 }] : [],
        }),
      ),
    ).consumers.find((x) => x.name === "c")!;

  it("is held back by catch-up after the crash, not by the calls refused", () => {
    const v = run(true, true);
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(v.bottleneck).toBe("catch-up after a fault");
    expect(v.fault).toMatchObject({ kind: "worker-crash", atUs: 360_000_000 });
    expect(v.explanation).toMatch(/^Consumer c fell behind after the worker crash at 0:06:00 \(.*\), and it had not caught up by the end; [\d.]+% of its GetRecords calls were throttled, before the worker crash too \(at least half as often a second as after it\), while its records waited under a minute; no steady limit held it back\.$/);
  });

  it("without the crash it keeps up under the same refusals; alone on the stream it is as far behind", () => {
    const noCrash = run(false, true);
    expect(noCrash.fallingBehind).toBe(false);
    expect(noCrash.readThrottledPercent).toBeGreaterThan(1);
    expect(run(true, false).fallingBehind).toBe(true);
  });
});
