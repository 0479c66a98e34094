// A consumer that never processed a few of the records that arrived for it: the command line and the "Records lost"
// line give the share (64ae7a4). A share under 0.005% read "keeps up; 0.00% of the records that arrived for it never
// processed" and "(0.00%)", as if none were lost beside the count that says some were (helper-110).
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { runSummary } from "../../src/report/summary.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

describe("a consumer that discards one record in half a million", () => {
  // 2 shards, 1,000 records/s for 9 min after warmup (about 540,000 records); a poison record in 500,000, bisected down
  // to itself and discarded at its first failure (MaximumRetryAttempts 0, no on-failure destination): lost.
  const r = simulateScenario(
    scenarioOf({
      name: "tinyloss",
      seed: 13,
      duration: "10m",
      warmup: "1m",
      stream: { name: "orders", shards: 2 },
      producers: [{ name: "shop", client: "sdk", instances: 4, rate: { shape: "poisson", value: "1000/s" }, recordSize: { dist: "fixed", size: "400B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "enrich",
          kind: "lambda",
          startingPosition: "LATEST",
          maximumRetryAttempts: 0,
          bisectBatchOnFunctionError: true,
          function: { duration: { perInvocation: "10ms", perRecord: "0.5ms" }, errors: { poisonRecords: 0.000002 } },
        },
      ],
    }),
  );
  const v = verdictOf(r);
  const l = r.consumers[0]!.lostAfterWarmup;

  it("says 'under 0.01%', not 0.00%, of a share that rounds to 0", () => {
    const lost = l.expiredUnread + l.skipped + l.discarded + l.skippedByAge;
    expect(lost).toBeGreaterThan(0);
    expect((100 * lost) / l.accepted).toBeLessThan(0.005);
    expect(runSummary(r, v)).toContain("consumer enrich: keeps up; under 0.01% of the records that arrived for it never processed");
    const md = buildReportMarkdown(r, PROVENANCE, v);
    expect(md).toContain(`records that arrived for it (under 0.01%)`);
    expect(md).not.toContain("(0.00%)");
  });
});
