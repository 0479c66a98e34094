// Zipf keys: per-shard shares of a run match the exact MD5 routing of the key set, computed here
// independently with node:crypto (Kinesis developer guide: MD5 of the UTF-8 key as a 128-bit big-endian integer;
// CreateStream ranges of floor(2^128/N), the last shard to 2^128 − 1).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { oneProducer } from "./scenarioOf.js";

function expectedShares(keys: number, exponent: number, prefix: string, shards: number): number[] {
  const width = (1n << 128n) / BigInt(shards);
  const shares = new Array<number>(shards).fill(0);
  let h = 0;
  for (let i = 1; i <= keys; i++) h += i ** -exponent;
  for (let i = 1; i <= keys; i++) {
    const hash = BigInt(`0x${createHash("md5").update(`${prefix}${i}`, "utf8").digest("hex")}`);
    const shard = Math.min(shards - 1, Number(hash / width));
    shares[shard]! += i ** -exponent / h;
  }
  return shares;
}

describe("Zipf keys routed by MD5", () => {
  const keys = 200;
  const exponent = 1;
  const shards = 5;
  const expected = expectedShares(keys, exponent, "user-", shards);

  for (const granularity of ["batch", "record"] as const) {
    it(`${keys} keys over ${shards} shards (${granularity}): each shard's share of accepted records is within 4 sd of the exact routing`, () => {
      const r = simulate(
        oneProducer({
          shards,
          duration: granularity === "batch" ? "300s" : "60s",
          granularity,
          producer: {
            instances: 4,
            rate: { shape: "poisson", value: "2000/s" },
            recordSize: { dist: "fixed", size: "50B" },
            partitionKey: { kind: "zipf", keys, exponent, prefix: "user-", names: "ranked" },
          },
        }),
      );
      const total = r.shards.reduce((s, x) => s + x.incomingRecords, 0);
      expect(r.shards.reduce((s, x) => s + x.throttledRecords, 0)).toBe(0);
      r.shards.forEach((s, i) => {
        expect(s.expectedShare).toBeCloseTo(expected[i]!, 12);
        const p = expected[i]!;
        const sd = Math.sqrt((p * (1 - p)) / total);
        expect(Math.abs(s.incomingRecords / total - p)).toBeLessThan(4 * sd);
      });
    });
  }

  it("the exact routing is uneven (the test would notice a uniform split)", () => {
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.05);
  });

  it("hot keys: a key with 40% of the traffic puts at least 40% on its shard (the rest spread by hash ranges)", () => {
    const key = "tenant-42";
    const hash = BigInt(`0x${createHash("md5").update(key).digest("hex")}`);
    const shard = Number(hash / ((1n << 128n) / 4n));
    const r = simulate(
      oneProducer({
        shards: 4,
        duration: "60s",
        producer: { rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "hotKeys", keys: [{ key, share: 0.4 }] } },
      }),
    );
    r.shards.forEach((s, i) => expect(s.expectedShare).toBeCloseTo(i === shard ? 0.4 + 0.6 / 4 : 0.6 / 4, 9));
  });

  it("explicit hash keys: 0 and 2^127 on two shards split the traffic by the given shares", () => {
    const r = simulate(
      oneProducer({
        shards: 2,
        duration: "60s",
        producer: {
          rate: { shape: "constant", value: "1000/s" },
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "explicit", hashKeys: ["0", (1n << 127n).toString()], shares: [3, 1] },
        },
      }),
    );
    expect(r.shards[0]!.expectedShare).toBe(0.75);
    expect(r.shards[1]!.expectedShare).toBe(0.25);
    const total = r.shards[0]!.incomingRecords + r.shards[1]!.incomingRecords;
    expect(r.shards[0]!.incomingRecords / total).toBeCloseTo(0.75, 2);
  });
});
