// A sink's DynamoDB table that takes more than its capacity from its burst credit keeps its consumer up only until the
// credit is spent (helper-94's p1: 10,000 items/s against 8,000 WCU read "keeps up" with its credit out 2 s before the
// end). Closed form, as AWS works it (burst capacity: 150 RCU × 300 s = 45,000 units serve 200 RCU for 45,000 ÷ 50 =
// 900 s, https://repost.aws/knowledge-center/dynamodb-spiky-workloads-short-intervals): the credit lasts its full
// units ÷ the deficit from when the deficit began, and the credit left at the end ÷ the deficit past the end.
import { describe, expect, it } from "vitest";
import { sinkSummary, verdictOf } from "../../src/report/verdict.js";
import { runSummary } from "../../src/report/summary.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

// One shard, 500 records/s of 200 B (1 WCU an item), a KCL 2.x application writing each record to a table of 400 WCU
// with DynamoDB's 300 s of burst: 120,000 units when full, drawn at 500 − 400 = 100 units a second from the first
// flush (a couple of seconds in), so spent at about 120,000 ÷ 100 = 1,200 s.
const run = (duration: string, write = 400) =>
  simulateScenario(
    scenarioOf({
      duration,
      warmup: "1m",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" } }],
      consumers: [
        {
          name: "app",
          kind: "kcl",
          kcl: { version: 2 },
          initialPosition: "TRIM_HORIZON",
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write, burst: "300s" }, retry: { limit: 1_000_000, backoff: "1s" } },
        },
      ],
    }),
  );

describe("a sink table running above its capacity on burst credit", () => {
  const r = run("10m");
  const v = verdictOf(r);
  const b = r.sinks[0]!.table!.burstCredit!;

  it("draws 100 units a second over its 400 WCU (within 5%), 120,000 units when full", () => {
    expect(b.fullUnits).toBe(120_000);
    expect(b.deficitPerSecond).toBeGreaterThan(95);
    expect(b.deficitPerSecond).toBeLessThan(105);
    expect(b.ranOutAtUs).toBeNull();
  });

  it("has about 60,000 units left at the end of 10 minutes, which last until about 1,200 s (within 15 s)", () => {
    expect(b.endUnits).toBeGreaterThan(59_000);
    expect(b.endUnits).toBeLessThan(61_000);
    expect(b.lastsUntilUs! / 1e6).toBeGreaterThan(1_200 - 15);
    expect(b.lastsUntilUs! / 1e6).toBeLessThan(1_200 + 15);
  });

  it("does not read 'keeps up': its sink is its bottleneck, on burst credit, with when it runs out", () => {
    const c = v.consumers[0]!;
    expect(c.bottleneck).toBe("sink");
    expect(c.onBurstCredit).toBe(true);
    expect(c.explanation).toMatch(/^Consumer app keeps up only on its sink's burst credit \(iterator age at most .*\): its sink, a DynamoDB table \(provisioned 400 WCU, 1 WCU an item\), used 125% of its capacity after warmup, on burst credit: it took (9\d|10\d) WCU a second over its 400 .* run out at about 0:(19:[45]\d|20:[01]\d); from then the table throttles about (9\d|10\d) items a second, so a longer run is held back by the table\.$/);
    expect(runSummary(r, v)).toContain("consumer app: keeps up only on its sink's burst credit");
  });
});

describe("the same table when its credit runs out in the last quarter", () => {
  const r = run("21m");
  const v = verdictOf(r);
  const b = r.sinks[0]!.table!.burstCredit!;

  it("ran out at about 1,200 s (within 15 s), having drawn 100 units a second", () => {
    expect(b.ranOutAtUs! / 1e6).toBeGreaterThan(1_200 - 15);
    expect(b.ranOutAtUs! / 1e6).toBeLessThan(1_200 + 15);
    expect(b.lastsUntilUs).toBeNull();
    expect(b.deficitPerSecond).toBeGreaterThan(95);
    expect(b.deficitPerSecond).toBeLessThan(105);
  });

  it("the consumer's verdict and the sink's summary say so", () => {
    expect(v.consumers[0]!.bottleneck).toBe("sink");
    // From 0:20:00 the table takes 400 of the 500 items a second: the backlog grows about 100 a second for the last
    // minute, and the consumer falls behind (its backlog's growth); it kept up only while the credit lasted.
    expect(v.consumers[0]!.fallingBehind).toBe(true);
    expect(v.consumers[0]!.explanation).toMatch(/^Consumer app kept up only while its sink's burst credit lasted \(/);
    expect(v.consumers[0]!.explanation).toMatch(/the credit ran out at 0:(19:[45]\d|20:[01]\d); from then the table throttles about (9\d|10\d) items a second/);
    expect(sinkSummary(r.sinks[0]!, (r.durationUs - r.warmupUs) / 1e6)).toMatch(/ It ran on burst credit: .* the credit ran out at 0:(19:[45]\d|20:[01]\d); .* held back by the table\.$/);
  });
});

describe("a table with room for the traffic draws no credit", () => {
  it("500 items/s against 600 WCU: no burst credit drawn, and the consumer keeps up", () => {
    const r = run("10m", 600);
    expect(r.sinks[0]!.table!.burstCredit).toBeNull();
    expect(verdictOf(r).consumers[0]!.bottleneck).toBe("none");
  });
});
