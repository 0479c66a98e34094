// Delivery streams sharing a shard's reads (5 GetRecords calls/s, 2 MiB/s) with each other and with other polling
// readers: readers alike in demand and polling are refused alike, whichever was declared first. Each polls a shard once
// a second (Firehose guide, "Reading from Kinesis Data Streams"); the model places the polls (SourceReader.pollAt).
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const fh = (name: string) => ({ name, source: "clicks", buffer: { size: "128MiB", interval: "300s" }, destination: { kind: "s3" } });

function run(o: { rate: string; duration: string; firehose: string[]; consumers?: unknown[]; reshards?: unknown[] }) {
  return simulateScenario(
    scenarioOf({
      seed: 1,
      duration: o.duration,
      warmup: "30s",
      stream: { name: "clicks", shards: 1 },
      producers: [{ name: "web", client: "sdk", instances: 4, rate: { shape: "constant", value: o.rate }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random" } }],
      consumers: o.consumers ?? [],
      firehose: o.firehose.map(fh),
      reshards: o.reshards ?? [],
    }),
  );
}

/** Each value's distance from their mean, as a share of it. */
const spread = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.map((x) => Math.abs(x / mean - 1));
};

describe("delivery streams sharing a shard take turns", () => {
  it("six delivery streams on one shard, 6 calls/s against its 5: each is refused once in six seconds", () => {
    // 100 records/s of 1 KiB: far under 2 MiB/s, so only the 5 calls/s refuse. Six polls a second against 5 calls a
    // second: once the bucket's burst is spent (well before the 30 s warmup), one poll a second is refused, 570 in the
    // 570 s after warmup. The six take turns in the second's six places, so each holds the refused place once in six
    // seconds: 95 each (before, one was refused at each of its 570 polls and the other five never).
    const r = run({ rate: "100/s", duration: "10m", firehose: ["a", "b", "c", "d", "e", "f"] });
    expect(r.firehose.map((f) => f.sourceRead!.getRecordsCalls)).toEqual([570, 570, 570, 570, 570, 570]);
    expect(r.firehose.map((f) => f.sourceRead!.throttledCalls)).toEqual([95, 95, 95, 95, 95, 95]);
  });

  it("three delivery streams and three Lambda mappings on one shard, over 5 calls/s: the delivery streams are refused alike", () => {
    // Three polls a second from the delivery streams and about one each from the mappings (after the interval, from the
    // response): about 6 calls/s against 5. The mappings' calls fall anywhere in the second; the delivery streams', at
    // the places they take in turn. Alike within 15% of their mean (90, 101 and 92 of 570 calls refused; before, 0, 212
    // and 71).
    const lambda = (name: string) => ({
      name,
      kind: "lambda",
      startingPosition: "LATEST",
      batchSize: 10_000,
      parallelization: 10,
      function: { memory: "1024MiB", duration: { perInvocation: "5ms", perRecord: "0.01ms", variability: 0.1 } },
    });
    const r = run({ rate: "100/s", duration: "10m", firehose: ["a", "b", "c"], consumers: [lambda("x"), lambda("y"), lambda("z")] });
    const refused = r.firehose.map((f) => f.sourceRead!.throttledCalls);
    expect(Math.min(...refused)).toBeGreaterThan(0);
    for (const d of spread(refused)) expect(d).toBeLessThan(0.15);
  });

  it("three delivery streams over the read budget of a split's children read alike", () => {
    // 1,900 records/s of 1 KiB on one shard (it takes 1,000/s) split to two from 30 s to 150 s: each child takes about 950/s,
    // 0.93 MiB/s, read three times: 2.8 MiB/s against its 2 MiB/s, so calls are refused and each delivery stream reads
    // what it can. Alike within 5% of their mean (before, all polled each child at the same instants, the first
    // registered first: a, b and c read 1,000, 682 and 240 MiB after warmup; now 647, 641 and 640).
    const r = run({ rate: "1900/s", duration: "10m", firehose: ["a", "b", "c"], reshards: [{ at: "30s", kind: "update-shard-count", target: 2 }] });
    expect(r.streams[0]!.reshards[0]!.doneAtUs).toBe(150_000_000);
    const bytes = r.firehose.map((f) => f.sourceRead!.bytesRead);
    for (const d of spread(bytes)) expect(d).toBeLessThan(0.05);
  });
});
