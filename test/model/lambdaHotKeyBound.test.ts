// A Lambda consumer's bound with lanes by partition key: a shard processes at most a lane's throughput ÷ its busiest
// lane's share (that lane full, the reader waits for it), and whether it falls further behind is its backlog's to say.
// helper-100's a3b: a hot key of 60% of 400 records/s on one shard's 4 lanes, a lane taking 200 records/s (10 records
// at 5 ms each): the hot lane's share is 0.6 + 0.4 ÷ 4 = 0.7, so the shard processes 200 ÷ 0.7 = 286 records/s. The
// bound read 800 (4 lanes × 200) and the verdict "does not fall further behind" with the backlog growing ~111/s.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

describe("a Lambda consumer's bound with a hot key", () => {
  const r = simulateScenario(
    scenarioOf({
      duration: "4m",
      warmup: "30s",
      seed: 3,
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "400/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "hotKeys", keys: [{ key: "hot", share: 0.6 }] } }],
      consumers: [{ name: "fn", kind: "lambda", startingPosition: "LATEST", batchSize: 10, parallelization: 4, function: { timeout: "30s", duration: { perInvocation: "0ms", perRecord: "5ms", variability: 0 } } }],
    }),
  );
  const c = r.consumers[0]!;

  it("is 200 ÷ 0.7 = 286 records/s, not 4 lanes × 200 = 800, and the run processes about that", () => {
    expect(c.lambda!.throughputBound).toBeCloseTo(200 / 0.7, 6);
    expect(Math.abs(judge(r).consumers[0]!.processedPerSecond / (200 / 0.7) - 1)).toBeLessThan(0.05);
  });

  it("the verdict does not say it stops falling behind while its backlog grows", () => {
    const v = verdictOf(r).consumers[0]!;
    expect(v.explanation).not.toContain("does not fall further behind");
  });
});
