// What Firehose bills for ingestion, against hand computations. Firehose bills each record "rounded up to the nearest
// 5KB (5120 bytes)" (https://aws.amazon.com/firehose/pricing/): a record of size S bills 5,120 × E[max(1, ⌈S ÷ 5,120⌉)]
// bytes on average, which for sizes with a spread is more than their mean size rounded. Lognormal records of median
// 3 KiB and p99 20 KiB (mean 4,284 B, which rounds to 5,120 B) bill 7,066 B each. Before, the model rounded each
// chunk's mean size: 5,601 B a record in the review's probe (h82), 21% low. The expectations come from the lognormal by numeric integration of its
// density (lognormalBilling.ts), independent of the model's code.

import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { FirehoseResult, RunResult } from "../../src/result/runResult.js";
import { expectedUnits } from "./lognormalBilling.js";
import { scenarioOf } from "./scenarioOf.js";

const INCREMENT = 5_120;
const KiB = 1_024;
const within = (actual: number, expected: number, tolerance: number) => expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(tolerance);
const perRecord = (f: FirehoseResult) => f.incoming.billedBytes / f.incoming.records;

const producer = (name: string, rate: string, median: number, p99: number, to: Record<string, string>) => ({
  name,
  client: "sdk",
  instances: 4,
  rate: { shape: "constant", value: rate },
  recordSize: { dist: "lognormal", median: `${median}B`, p99: `${p99}B` },
  partitionKey: { kind: "random", length: 36 },
  ...to,
});

function run(producers: unknown[], source: string): RunResult {
  return simulate(
    scenarioOf({
      duration: "3m",
      warmup: "1m",
      stream: { name: "clicks", shards: 4 },
      producers,
      firehose: [{ name: "fh", source, buffer: { size: "64MiB", interval: "60s" }, destination: { kind: "s3" } }],
    }),
  );
}

describe("Firehose ingestion bills each record rounded up to 5 KB on its own", () => {
  const expected = INCREMENT * expectedUnits(3 * KiB, 20 * KiB, INCREMENT);

  it("the hand computation: lognormal (3 KiB, 20 KiB) records bill 7,066 B each on average", () => {
    within(expected, 7_065.9, 1e-4);
  });

  it("Direct PUT: 7,066 B a record (before: each chunk's mean size rounded up, 5,577 B)", () => {
    const r = run([producer("app", "400/s", 3 * KiB, 20 * KiB, { deliveryStream: "fh" })], "direct-put");
    const f = r.firehose[0]!;
    expect(f.incoming.records).toBeGreaterThan(40_000);
    within(perRecord(f), expected, 1e-3);
    // The monthly bill: 400 records/s × 7,066 B over 730 h, at $0.029 a GB: $215.40 (before: about $170).
    const usd = ((400 * expected * 730 * 3_600) / 1e9) * 0.029;
    within(r.cost.items.find((i) => i.item === "Firehose fh: ingestion")!.usd, usd, 1e-3);
  });

  it("a Kinesis stream as source: the records its producers put bill the same", () => {
    const f = run([producer("app", "400/s", 3 * KiB, 20 * KiB, { stream: "clicks" })], "clicks").firehose[0]!;
    expect(f.incoming.records).toBeGreaterThan(40_000);
    within(perRecord(f), expected, 1e-3);
  });

  it("two producers: their records' bills mixed by their rates (3 : 1)", () => {
    const small = INCREMENT * expectedUnits(700, 4 * KiB, INCREMENT);
    const mixed = 0.75 * small + 0.25 * expected;
    const f = run(
      [producer("small", "300/s", 700, 4 * KiB, { deliveryStream: "fh" }), producer("large", "100/s", 3 * KiB, 20 * KiB, { deliveryStream: "fh" })],
      "direct-put",
    ).firehose[0]!;
    within(perRecord(f), mixed, 1e-3);
  });
});
