// The lease-table sentence lists what the table throttled, takes included: a consumer judged "lease table" for
// throttled lease takes alone read "throttled 0 lease renewals and 0 checkpoints". The lease-table-throttling sample's
// result, with its counts set by hand, checks each list.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";

const file = join(import.meta.dirname, "..", "..", "scenarios", "lease-table-throttling.yaml");
const base = simulateScenario(parseScenario(readFileSync(file, "utf8"), file));

function explanationWith(counts: { renewalsThrottled: number; checkpointsThrottled: number; takesThrottled: number }): string {
  const r = structuredClone(base);
  Object.assign(r.consumers[0]!.leases!, counts);
  const c = verdictOf(r).consumers[0]!;
  expect(c.bottleneck).toBe("lease table");
  return c.explanation;
}

describe("a consumer held back by its lease table", () => {
  it("names throttled lease takes when they are all the table throttled", () => {
    const text = explanationWith({ renewalsThrottled: 0, checkpointsThrottled: 0, takesThrottled: 5 });
    expect(text).toMatch(/lease table \(10 WCU\) throttled 5 lease takes; /);
    expect(text).not.toContain("0 lease renewals");
  });

  it("lists renewals, checkpoints and takes, with thousands separators, leaving out what was not throttled", () => {
    expect(explanationWith({ renewalsThrottled: 1, checkpointsThrottled: 2_500, takesThrottled: 3 })).toContain("throttled 1 lease renewal, 2,500 checkpoints and 3 lease takes; ");
    expect(explanationWith({ renewalsThrottled: 1_200, checkpointsThrottled: 0, takesThrottled: 1 })).toContain("throttled 1,200 lease renewals and 1 lease take; ");
  });
});
