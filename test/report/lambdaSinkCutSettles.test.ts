// A Lambda invocation the function's timeout ends takes its sink write with it: what the sink had taken by the cut stays
// written, and nothing else of that write is "being written" afterwards — its records went back to the event source
// mapping with the failed batch (retried, or discarded, as its settings say). The sink's accounting says so at every
// instant, the end of a run included, and still balances (src/result/sinks.ts throws otherwise).
//
// 1. DynamoDB, the handler's backoff outlasting the invocation. 200 records/s of 500 B (1 WCU an item) to a 1-WCU table
//    (300 s of burst: 300 units), batches of 200, 10 ms requests, a 1 s timeout, 20 ms of compute. By hand: batch 1 (read
//    at 1 s) takes 200 units, batch 2 (at 2 s) the ~101 left; from then a try every 2 s (cut at 1 s, retried after the
//    mapping's 1 s retry delay), at even seconds, finds the 2 units the table gained in those 2 s: 2 items written, 198
//    unprocessed, their retry due 10 s later (retry.backoff), far past the cut. So at 30.5 s the try begun at 30 s is
//    alive, holding 198 records to write again; at 31.5 s it was cut at 31 s and its retry starts at 32 s: none. Before,
//    each cut write stayed "being written" until its 10 s backoff ran out: the live one and the 4 cut at 23, 25, 27 and 29 s
//    (whose backoffs end 10.15 s after their tries began), 5 × 198 = 990 records, at both instants.
// 2. S3, Redshift and OpenSearch writes stop at the cut too. 100 records/s, batches of 100, 20 ms of compute, a 1 s
//    timeout; an S3 put of 2 s, a Redshift staging put of 100 ms then a COPY of 2 s, an OpenSearch bulk request of 2 s: each
//    write outlasts the timeout on every try (a try every 2 s: cut at 1 s, then the retry delay), so no batch is ever
//    processed and nothing of a cut write may be counted written. By hand, in 60 s: 30 tries of 100 records offered; the
//    29 cut ones interrupted (2,900), the last (begun at ~59 s, cut at ~60.02 s) still being written at the end (100);
//    written 0. Before, each cut write went on after the cut and was counted written when its put, COPY or bulk request
//    ended: 2,900 records "written" by invocations that timed out, none processed.
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function lambdaWriting(duration: string, rate: string, batchSize: number, sink: Record<string, unknown>): RunResult {
  return simulateScenario(
    scenarioOf({
      duration,
      warmup: "10s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: rate }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "1s", duration: { perInvocation: "20ms", perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink,
        },
      ],
    }),
  );
}

const oneWcu = { kind: "dynamodb", table: { capacity: "provisioned", write: 1 }, requestLatency: { dist: "fixed", value: "10ms" } };

describe("1. a DynamoDB write the timeout cuts is not 'being written' while its handler's backoff would run", () => {
  it("at 30.5 s, the live invocation's 198 records only (was 990: 4 cut writes besides)", () => {
    const a = lambdaWriting("30500ms", "200/s", 200, oneWcu).sinks[0]!.accounting;
    expect(a.balanced).toBe(true);
    expect(a.writing).toBe(198);
    expect(a.interrupted).toBe(a.offered - a.written - a.writing);
  });

  it("at 31.5 s, between the cut and the mapping's retry: none (was 990)", () => {
    const a = lambdaWriting("31500ms", "200/s", 200, oneWcu).sinks[0]!.accounting;
    expect(a.balanced).toBe(true);
    expect(a.writing).toBe(0);
    expect(a.interrupted).toBe(a.offered - a.written);
  });
});

describe("2. S3, Redshift and OpenSearch writes stop when the timeout cuts the invocation", () => {
  const sinks: Record<string, Record<string, unknown>> = {
    s3: { kind: "s3", putLatency: { dist: "fixed", value: "2s" } },
    redshift: { kind: "redshift", putLatency: { dist: "fixed", value: "100ms" }, copy: { fixed: "2s", perMiB: "0ms" } },
    opensearch: { kind: "opensearch", requestLatency: { dist: "fixed", value: "2s" } },
  };
  for (const [kind, sink] of Object.entries(sinks)) {
    it(`${kind}: nothing written by invocations that timed out (was 2,900 of 3,000)`, () => {
      const r = lambdaWriting("60s", "100/s", 100, sink);
      expect(r.consumers[0]!.accounting.processed).toBe(0);
      expect(r.consumers[0]!.lambda!.blockedAtEnd).toEqual(["shardId-000000000000"]);
      const a = r.sinks[0]!.accounting;
      expect(a).toMatchObject({ offered: 3_000, written: 0, writing: 100, interrupted: 2_900, balanced: true });
      // No S3 object, no bulk request indexed; Redshift's staging objects were written (100 ms, before the cut), their
      // COPYs loaded none of them.
      expect(r.sinks[0]!.afterWarmup.written).toBe(0);
      if (kind !== "redshift") expect(r.sinks[0]!.afterWarmup.objects).toBe(0);
    });
  }
});

// 3. A Redshift COPY whose records were all withdrawn (its invocation cut) stops there: it loads nothing, is no COPY, and
//    the cluster ran it only up to the cut. The redshift case of 2: each try's COPY starts after 20 ms of compute and the
//    100 ms staging put, and the 1 s timeout cuts it 880 ms later (its fixed 2 s never run out); a try every 2 s. In the
//    50 s after warmup, 25 tries: 24 cut (the last still running at the end, uncounted), so the cluster ran COPYs for
//    between 24 × 0.88 = 21.12 s and 25 × 0.88 = 22 s (one may straddle the warmup's end): a utilisation of 42.2% to 44%,
//    and no COPY done. Before, every cut COPY ran on to its end and counted: 25 COPYs, each its 2 s (98.3%).
describe("3. a Redshift COPY left with nothing to load stops at the cut", () => {
  it("no COPY counted, the cluster busy 42.2–44% (880 ms of each 2 s), not 25 COPYs and 98%", () => {
    const s = lambdaWriting("60s", "100/s", 100, { kind: "redshift", putLatency: { dist: "fixed", value: "100ms" }, copy: { fixed: "2s", perMiB: "0ms" } }).sinks[0]!;
    expect(s.afterWarmup.objects).toBe(25);
    expect(s.afterWarmup.copies).toBe(0);
    expect(s.afterWarmup.utilisation).toBeGreaterThanOrEqual((24 * 0.88) / 50 - 1e-9);
    expect(s.afterWarmup.utilisation).toBeLessThanOrEqual((25 * 0.88) / 50 + 1e-9);
    expect(s.accounting).toMatchObject({ written: 0, interrupted: 2_900, balanced: true });
  });
});
