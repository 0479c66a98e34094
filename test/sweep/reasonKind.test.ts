// A sweep that recommends nothing says what binds by kind, counted in runs: each placement of hot keys makes another
// shard hot with another share, so the reasons as the runs give them would each count once (helper-57).
import { describe, expect, it } from "vitest";
import { reasonKind } from "../../src/sweep/aggregate.js";

describe("reasonKind", () => {
  it("drops the hot shard's id and share, keeping the limit and the stream", () => {
    expect(reasonKind("hot shard: shardId-000000000003 gets 22.2% of the records (shard write records limit)")).toBe("a hot shard at the shard write records limit");
    expect(reasonKind("hot shard: shardId-000000000004 of stream raw gets 32.1% of the records (shard write bytes limit)")).toBe("a hot shard of stream raw at the shard write bytes limit");
    expect(reasonKind("hot shard: shardId-000000000002 took 80% of the throttled attempts (shard write records limit; the stream resharded during the run)")).toBe(
      "a hot shard at the shard write records limit",
    );
  });

  it("drops how many shards ran out of write capacity", () => {
    expect(reasonKind("write capacity: shard write records on 3 of 4 shards")).toBe("write capacity: shard write records");
    expect(reasonKind("write capacity of stream raw: shard write bytes on 2 of the 6 shards the run saw (the stream resharded: 4 → 6 open)")).toBe("write capacity of stream raw: shard write bytes");
  });

  it("leaves other reasons as they are", () => {
    expect(reasonKind("consumer app: lease table")).toBe("consumer app: lease table");
  });

  it("drops which key alone is too hot for any shard (with shuffled names each placement names another: helper-60)", () => {
    const reason = (key: string, pct: string) =>
      `hot key: "${key}" of gateways alone puts 1,185 records/s (1,185 records/s of 200 B data + 11 B key) on its shard, more than one shard accepts (1,000 records/s): at least ${pct} of the records offered after warmup throttle whatever the shard count`;
    expect(reasonKind(reason("device-1138", "2.84%"))).toBe("a key of gateways alone over one shard's 1,000 records/s");
    expect(reasonKind(reason("device-538", "2.85%"))).toBe("a key of gateways alone over one shard's 1,000 records/s");
  });
});
