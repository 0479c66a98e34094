// A missed consumerLostPercent SLO of a consumer with no steady bottleneck says what went unprocessed, not that the
// consumer "keeps up". A Lambda function fails a record in 50,000 (poisonRecords), one retry, no on-failure
// destination: each failing batch is discarded after its retry, far under the 1% that makes errors its bottleneck.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

describe("a missed consumerLostPercent SLO", () => {
  const r = simulateScenario(
    scenarioOf({
      seed: 7,
      duration: "6m",
      warmup: "1m",
      stream: { name: "orders", shards: 2 },
      producers: [{ name: "shop", client: "sdk", instances: 4, rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "400B" } }],
      consumers: [
        {
          name: "fn",
          kind: "lambda",
          startingPosition: "LATEST",
          batchSize: 100,
          maximumRetryAttempts: 1,
          function: { memory: "256MiB", duration: { perInvocation: "10ms", perRecord: "0.2ms", variability: 0.3 }, errors: { poisonRecords: 0.00002 } },
        },
      ],
      slo: { consumerLostPercent: 0 },
    }),
  );
  const v = verdictOf(r);

  it("names the discarded records, not 'keeps up'", () => {
    const c = v.consumers[0]!;
    const discarded = r.consumers[0]!.accounting.discarded!;
    expect(discarded).toBeGreaterThan(0);
    expect(discarded).toBeLessThan(0.01 * r.consumers[0]!.accounting.processed);
    expect(c.bottleneck).toBe("none");
    const slo = v.slos.find((s) => s.name === "consumerLostPercent")!;
    expect(slo.met).toBe(false);
    expect(slo.cause).toEqual({ kind: "consumerLost", reasons: { expiredUnread: 0, skipped: 0, discarded, skippedByAge: 0 }, bottleneck: "none" });
    expect(slo.why).toBe(`it has no steady bottleneck, but records that arrived after warmup went unprocessed: ${discarded.toLocaleString("en-US")} discarded after failing (no on-failure destination)`);
    expect(slo.why).not.toContain("keeps up");
  });
});
