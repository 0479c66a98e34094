// The KPL puts a failed record back into its pipeline only when the response that failed it arrives: the PutRecordsAsync
// callback hands the PutRecordsContext to the retrier (awslabs/amazon-kinesis-producer pipeline.h send_put_records_request),
// whose handle_put_records_result gives each failed record a deadline of now + RecordMaxBufferedTime / 2 and passes it
// back to the aggregator (retrier.cc retry_not_expired). Before, with RecordMaxBufferedTime no longer than the window (or
// whenever a window's requests took all that was queued), the model resent a throttled record at the next window's end
// whether or not that response had come: with round trips over a window, several attempts of one record were in flight
// at once.
//
// One shard whose write bucket holds 300 records (writeBurst 300 ms at 1,000 records/s, refilled 100 a window), a burst
// of 1,000 records of 100 B in the first window (10,000/s for 100 ms, even arrivals), aggregation off (no limiter),
// fixed 250 ms round trips, RecordTtl 1 h.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (levels: { at: string; value: string }[], kpl: Record<string, unknown>) =>
  simulate(
    scenarioOf({
      duration: "3s",
      warmup: "0s",
      stream: { shards: 1, writeBurst: "300ms" },
      producers: [
        {
          name: "p",
          client: "kpl",
          instances: 1,
          rate: { shape: "step", arrivals: "even", levels },
          recordSize: { dist: "fixed", size: "100B" },
          latency: { dist: "fixed", value: "250ms" },
          kpl: { aggregationEnabled: false, recordTtl: "1h", ...kpl },
        },
      ],
    }),
  ).producers[0]!;

const ms = (us: number) => us / 1_000;

describe("a throttled KPL record is resent only after the response that failed it", () => {
  it("RecordMaxBufferedTime 100 ms (the window): resent at 0.4 s, 0.7 s, 1.0 s, not every window: 2,200 attempts, not 3,800", () => {
    const p = run(
      [
        { at: "0s", value: "10000/s" },
        { at: "100ms", value: "0/s" },
      ],
      {},
    );
    // By hand. 0.1 s: the 1,000 go in 2 PutRecords of 500; the bucket's 300 are accepted, 700 fail, answered at 0.35 s.
    // The first window's end after 0.35 s is 0.4 s: 700 sent (2 requests), the bucket full again (its refill since 0.1 s is
    // 0.3 s × 1,000): 300 accepted, 400 fail, answered 0.65 s → 0.7 s: 400 sent, 300 accepted, 100 fail, answered
    // 0.95 s → 1.0 s: 100 sent and accepted, answered 1.25 s. Attempts 1,000 + 700 + 400 + 100 = 2,200 in 2 + 2 + 1 + 1
    // = 6 requests. (Resent every window regardless, the old model: 0.2 s, 0.3 s, … each with the 100 a window's refill
    // brings: 1,000 + 700 + 600 + … + 100 = 3,800 attempts in 11 requests.)
    expect(p.attempts).toBe(2_200);
    expect(p.requests).toBe(6);
    expect(p.accepted).toBe(1_000);
    expect(p.inFlight.awaitingRetry + p.inFlight.buffered).toBe(0);
    // Put latency, from the first attempt at 0.1 s: 300 records 250 ms, 300 at 0.65 − 0.1 = 550 ms, 300 at 850 ms, 100
    // at 1,150 ms. The median (the 500th) 550 ms, the 99th percentile and the most 1,150 ms (3 × 300 ms + 250 ms: each
    // retry a full round trip and the wait to the next window after it); mean (75 + 165 + 255 + 115) / 1 = 610 ms.
    // (Old model: 250, 350, …, 950 ms: p50 450 ms, max 950 ms.)
    expect(ms(p.putLatency.p50)).toBeCloseTo(550, -1);
    expect(ms(p.putLatency.max)).toBe(1_150);
    expect(ms(p.putLatency.p99)).toBe(1_150);
    expect(ms(p.putLatency.mean) / 610).toBeCloseTo(1, 2);
    expect(p.clientMetrics.retriesPerKinesisRecord).toBeCloseTo(1.2, 9);
  });

  it("RecordMaxBufferedTime 200 ms (longer than the window): a deadline's flush of all that is queued leaves the unanswered retries: 2,210 attempts, not 2,430", () => {
    // The same burst, then 10 records in the second window (100/s for 100 ms) and none after.
    const p = run(
      [
        { at: "0s", value: "10000/s" },
        { at: "100ms", value: "100/s" },
        { at: "200ms", value: "0/s" },
      ],
      { recordMaxBufferedTime: "200ms" },
    );
    // By hand. 0.1 s: the 1,000 fill 2 PutRecords (CollectionMaxCount 500) and go: 300 accepted, 700 fail, answered
    // 0.35 s, due 0.35 + 0.1 = 0.45 s. The 10 records born in [0.1, 0.2) are due 0.1 + 0.2 = 0.3 s (each user record's
    // arrival + 200 ms): at 0.3 s the process's collector sends all it holds — all but the 700, whose response has not
    // come (the old model sent them too, 2,430 attempts): 10 sent in 1 request, accepted (the bucket refilled 200 since
    // 0.1 s), answered 0.55 s. 0.5 s: the 700, due since 0.45 s, go in 2 requests: 300 accepted (190 + 200 tokens, at
    // most 300), 400 fail, answered 0.75 s, due 0.85 s → 0.9 s: 300 accepted, 100 fail, answered 1.15 s, due 1.25 s →
    // 1.3 s: 100 accepted, answered 1.55 s. Attempts 1,000 + 10 + 700 + 400 + 100 = 2,210 in 2 + 1 + 2 + 1 + 1 = 7 requests.
    expect(p.attempts).toBe(2_210);
    expect(p.requests).toBe(7);
    expect(p.accepted).toBe(1_010);
    // Put latency: 310 records 250 ms, 300 at 0.75 − 0.1 = 650 ms, 300 at 1,050 ms, 100 at 1.55 − 0.1 = 1,450 ms. The
    // median (the 505th of 1,010) 650 ms, the most 1,450 ms (old model: 1,250 ms).
    expect(ms(p.putLatency.p50)).toBeCloseTo(650, -1);
    expect(ms(p.putLatency.max)).toBe(1_450);
  });
});
