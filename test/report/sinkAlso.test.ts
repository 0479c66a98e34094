// A consumer with a sink that falls behind for another reason: the sink is not named as what holds it back, but what it
// lost is said. Four shards of 500 records/s each; a KCL record processor handles one shard's batches one at a time,
// 2 ms a batch and 2.5 ms a record, so a shard is processed at under 400 records/s (a batch of n records takes
// 2 + 2.5n ms): the application cannot keep up with 2,000 records/s whatever its sink does. Its sink, a DynamoDB
// table of 800 WCU, gets what is processed (over 1,000 items/s): once the table's burst capacity (300 s of its WCU)
// is spent it throttles the excess, and with one try an item a throttled item is lost (IEmitter.fail) at once, so
// flushes are short and the processors mostly process.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const run = (write: number, retries: number, perRecord: string) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 13,
      duration: "12m",
      warmup: "1m",
      stream: { name: "orders", shards: 4 },
      producers: [{ name: "checkout", client: "sdk", instances: 4, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "550B" } }],
      consumers: [
        {
          name: "order-store",
          kind: "kcl",
          workers: 2,
          processing: { perRecord, perBatch: "2ms" },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write }, retry: { limit: retries, backoff: "1s" } },
        },
      ],
    }),
  );
  return { r, c: r.consumers[0]!, sk: r.sinks[0]!, cv: verdictOf(r).consumers[0]! };
};

describe("a consumer whose sink loses records while processing holds it back", () => {
  const { r, c, sk, cv } = run(800, 1, "2.5ms");

  it("is held back by processing, falling behind while its processors seldom wait for flushes", () => {
    expect(cv.fallingBehind).toBe(true);
    // Under 400 records/s a shard, four shards: under 1,600 of the 2,000 records/s offered.
    expect(cv.processedPerSecond).toBeLessThan(1600);
    expect(sk.afterWarmup.waitShare).toBeLessThan(0.5);
    // Its calls were throttled too (large reads of its backlog overdraw the shard's byte budget): not the reason.
    expect(cv.readThrottledPercent).toBeGreaterThan(1);
    expect(cv.bottleneck).toBe("processing");
    expect(cv.sinkAlso).toBe(true);
    // 4 shards × 10,000 records ÷ (2 ms + 10,000 × 2.5 ms) = 1,600 records/s at most; it processes 90% or more of
    // what is left when its processors' flush waits are taken out.
    expect(cv.processingBound).toBeCloseTo((4 * 10_000 * 1e6) / (2_000 + 10_000 * 2_500), 6);
    expect(cv.processedPerSecond).toBeGreaterThanOrEqual(0.9 * cv.processingBound! * (1 - sk.afterWarmup.waitShare));
    expect(cv.explanation).toMatch(
      /^Consumer order-store falls further behind: its oldest unprocessed record grew to .* old; it processes 1,\d{3} records\/s, about all its record processors can in the time its sink's flushes leave them \(they waited for its sink's flushes \d+% of their time\): at most 1,600 with no waiting \(a batch at a time on each shard's processor, at the mean processing times\), under the (1,9\d\d|2,0\d\d) records\/s arriving, so a faster sink alone would not keep it up\./,
    );
  });

  it("processes what processing allows, whatever the sink: faster with faster processing, the same with a roomier table", () => {
    // The counterfactuals: the limit named is the one that moves the rate.
    expect(run(800, 1, "1.25ms").cv.processedPerSecond).toBeGreaterThan(1.3 * cv.processedPerSecond);
    expect(run(5000, 1, "2.5ms").cv.processedPerSecond).toBeCloseTo(cv.processedPerSecond, 0);
  });

  it("says what its sink lost besides", () => {
    const lost = sk.accounting.lost.retriesExhausted;
    const a = sk.afterWarmup;
    expect(lost).toBeGreaterThan(0.01 * sk.accounting.offered);
    expect(a.throttledItems).toBeGreaterThan(0.01 * (a.written + a.throttledItems));
    const share = ((100 * a.throttledItems) / (a.written + a.throttledItems)).toFixed(1);
    expect(cv.explanation).toContain(
      ` Its sink, a DynamoDB table (provisioned 800 WCU, 1 WCU an item), is where it loses time or records besides: it throttled ${share}% of the items sent (they came back unprocessed, with no try left);`,
    );
    expect(cv.explanation).toContain(`${lost.toLocaleString("en-US")} records were still unwritten after the emitter's 1 try and were lost (IEmitter.fail)`);
    expect(cv.explanation).toContain(`its record processors waited for flushes ${Math.round(100 * a.waitShare)}% of the time.`);
    expect(cv.explanation).not.toContain("held back by its sink");
    expect(c.accounting.processed).toBeGreaterThan(0);
    expect(r.sinks.length).toBe(1);
  });

  it("report.json marks it", async () => {
    const { buildReportJson } = await import("../../src/report/json.js");
    const json = buildReportJson(r, { scenarioFile: "t.yaml", scenarioSha256: "0" });
    expect(json.consumers[0]!.bottleneck).toBe("processing");
    expect(json.consumers[0]!.sinkAlso).toBe(true);
  });
});

describe("the same consumer, other sinks", () => {
  it("a sink with room: processing, and nothing said of the sink", () => {
    const { sk, cv } = run(5000, 1, "2.5ms");
    expect(sk.afterWarmup.throttledItems).toBe(0);
    // Throttled reads (before this rule, their verdict: 'shard read bytes'), while processing is what it cannot do faster.
    expect(cv.readThrottledPercent).toBeGreaterThan(1);
    expect(cv.bottleneck).toBe("processing");
    expect(cv.sinkAlso).toBeUndefined();
    expect(cv.explanation).not.toContain("Its sink");
  });

  it("fast processing and a sink that retries: the sink holds it back (its processors wait for flushes most of the time)", () => {
    // 0.1 ms a record: the processors could take 2,000 records/s; the table writes 1,000 items/s and the rest wait for retries.
    const { sk, cv } = run(1000, 1000, "0.1ms");
    expect(cv.fallingBehind).toBe(true);
    expect(sk.afterWarmup.waitShare).toBeGreaterThan(0.5);
    expect(cv.bottleneck).toBe("sink");
    expect(cv.sinkAlso).toBeUndefined();
    expect(cv.explanation).toMatch(/^Consumer order-store is held back by its sink, a DynamoDB table \(provisioned 1,000 WCU, 1 WCU an item\): .*, so it falls behind \(/);
  });
});
