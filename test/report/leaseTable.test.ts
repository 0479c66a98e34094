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

function explanationWith(counts: { renewalsThrottled: number; checkpointsThrottled: number; takesThrottled: number; lost?: number }): string {
  const r = structuredClone(base);
  Object.assign(r.consumers[0]!.leases!, counts);
  const c = verdictOf(r).consumers[0]!;
  expect(c.bottleneck).toBe("lease table");
  return c.explanation;
}

describe("a consumer held back by its lease table", () => {
  it("names throttled lease takes when they are all the table throttled", () => {
    // 5% of the table's writes: over the 1% that makes the lease table the bottleneck.
    const l = base.consumers[0]!.leases!;
    const takes = Math.ceil(0.05 * (l.renewals + l.checkpoints + l.takes));
    const text = explanationWith({ renewalsThrottled: 0, checkpointsThrottled: 0, takesThrottled: takes });
    expect(text).toContain(`lease table (10 WCU) throttled ${takes.toLocaleString("en-US")} lease takes; `);
    expect(text).not.toContain("0 lease renewals");
  });

  it("lists renewals, checkpoints and takes, with thousands separators, leaving out what was not throttled", () => {
    expect(explanationWith({ renewalsThrottled: 1, checkpointsThrottled: 2_500, takesThrottled: 3 })).toContain("throttled 1 lease renewal, 2,500 checkpoints and 3 lease takes; ");
    expect(explanationWith({ renewalsThrottled: 1_200, checkpointsThrottled: 0, takesThrottled: 1 })).toContain("throttled 1,200 lease renewals and 1 lease take; ");
  });

  it("is not the bottleneck for one throttled renewal in thousands with no lease lost; it is with a lease lost to throttled renewals", () => {
    const r = structuredClone(base);
    const l = r.consumers[0]!.leases!;
    expect(l.renewals + l.checkpoints + l.takes).toBeGreaterThan(1_000);
    Object.assign(l, { renewalsThrottled: 1, checkpointsThrottled: 0, takesThrottled: 0, lost: 0 });
    expect(verdictOf(r).consumers[0]!.bottleneck).not.toBe("lease table");
    Object.assign(l, { lost: 1 });
    expect(verdictOf(r).consumers[0]!.bottleneck).toBe("lease table");
  });
});
