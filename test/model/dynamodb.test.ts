// DynamoTable: a lease table's capacity (DynamoDB developer guide: capacity modes, burst capacity). Provisioned: a token bucket per direction at the
// provisioned units per second that keeps up to `burst` seconds of unused capacity and starts full;
// on-demand: never throttled at lease-table scale, but consumed units are counted.
import { describe, expect, it } from "vitest";
import { DynamoTable } from "../../src/model/dynamodb/table.js";
import { LeaseTableSchema } from "../../src/spec/index.js";

const S = 1_000_000;
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

function table(spec: Record<string, unknown>, { duration = 600 * S, warmup = 0 } = {}): DynamoTable {
  return new DynamoTable(LeaseTableSchema.parse(spec), duration, S, warmup);
}

/** Issues `count` 1-unit writes every `gap` µs from `start`; returns how many were accepted. */
function writeEvery(t: DynamoTable, start: number, gap: number, count: number): number {
  let ok = 0;
  for (let k = 0; k < count; k++) if (t.write(start + k * gap, 1)) ok++;
  return ok;
}

describe("provisioned lease table", () => {
  it("starts with `burst` seconds of capacity: 10 WCU × 300 s = 3,000 one-unit writes at t = 0, the 3,001st throttled", () => {
    const t = table({ capacity: "provisioned", write: 10, read: 10, burst: "300s" });
    expect(writeEvery(t, 0, 0, 3_000)).toBe(3_000);
    expect(t.write(0, 1)).toBe(false);
    expect(t.throttledWrites).toBe(1);
  });

  it("a shorter burst setting holds less: 7 RCU × 60 s = 420 units, then a 0.5-unit read is refused", () => {
    const t = table({ capacity: "provisioned", write: 10, read: 7, burst: "60s" });
    expect(t.read(0, 420)).toBe(true);
    expect(t.read(0, 0.5)).toBe(false);
    // 1 s later 7 units have come back.
    expect(t.read(S, 7)).toBe(true);
    expect(t.read(S, 0.5)).toBe(false);
    expect([t.readUnits, t.readRequests, t.throttledReads]).toEqual([427, 4, 2]);
  });

  it("writes at exactly the provisioned rate are never throttled, even from an empty bucket", () => {
    const t = table({ capacity: "provisioned", write: 10, read: 10, burst: "300s" });
    expect(t.write(0, 3_000)).toBe(true); // drain the burst
    // 10 WCU: one 1-unit write every 100 ms for 10 minutes.
    expect(writeEvery(t, 100_000, 100_000, 5_990)).toBe(5_990);
    expect(t.throttledWrites).toBe(0);
  });

  it("20 writes/s against 10 WCU for 600 s: 8,999 accepted, 3,001 throttled (burst lasts ~300 s)", () => {
    // Request k is at 50k ms; by then the bucket has received 3,000 + 0.5k units and is never full again
    // after the first write, so after the burst runs out (k = 5,998) accepted = floor(3,000 + 0.5k).
    // Last request k = 11,999: floor(3,000 + 5,999.5) = 8,999 of 12,000.
    const t = table({ capacity: "provisioned", write: 10, read: 10, burst: "300s" });
    expect(writeEvery(t, 0, 50_000, 12_000)).toBe(8_999);
    expect([t.writeRequests, t.writeUnits, t.throttledWrites]).toEqual([12_000, 8_999, 3_001]);
    // Series: accepted units per second are 20 until the burst runs out just before 300 s, then 10.
    const consumed = t.consumed.row(0);
    expect(consumed[0]).toBe(20);
    expect(consumed[298]).toBe(20);
    expect(consumed[301]).toBe(10);
    expect(consumed[599]).toBe(10);
    expect(sum(t.throttled.row(0))).toBe(3_001);
  });

  it("the smallest burst, 1 s, holds one second of capacity: 5 of 6 simultaneous writes at 5 WCU get in", () => {
    const t = table({ capacity: "provisioned", write: 5, read: 5, burst: "1s" });
    expect(writeEvery(t, 0, 0, 6)).toBe(5);
  });
});

describe("on-demand lease table", () => {
  it("never throttles but counts every unit and request", () => {
    const t = table({ capacity: "onDemand" });
    expect(t.provisioned).toBeNull();
    expect(t.write(0, 1_000_000)).toBe(true);
    expect(writeEvery(t, 0, 0, 50_000)).toBe(50_000);
    expect(t.read(S, 0.5)).toBe(true);
    expect(t.read(S, 2)).toBe(true);
    expect([t.writeUnits, t.writeRequests, t.throttledWrites]).toEqual([1_050_000, 50_001, 0]);
    expect([t.readUnits, t.readRequests, t.throttledReads]).toEqual([2.5, 2, 0]);
    expect(sum(t.consumed.row(0))).toBe(1_050_000);
    expect(sum(t.consumed.row(1))).toBe(2.5);
    expect(sum(t.throttled.row(0)) + sum(t.throttled.row(1))).toBe(0);
  });
});

describe("warmup", () => {
  it("counters leave out requests before warmup; the series keep them", () => {
    // The 20 writes/s run again with warmup = 300 s: requests k = 6,000 … 11,999 count. By k = 5,999,
    // floor(3,000 + 2,999.5) = 5,999 were accepted, so 8,999 − 5,999 = 3,000 of the 6,000 counted ones were.
    const t = table({ capacity: "provisioned", write: 10, read: 10, burst: "300s" }, { warmup: 300 * S });
    writeEvery(t, 0, 50_000, 12_000);
    expect([t.writeRequests, t.writeUnits, t.throttledWrites]).toEqual([6_000, 3_000, 3_000]);
    expect(sum(t.consumed.row(0))).toBe(8_999);
    expect(sum(t.throttled.row(0))).toBe(3_001);
  });

  it("a request exactly at the warmup instant is counted", () => {
    const t = table({ capacity: "onDemand" }, { warmup: 10 * S });
    t.write(10 * S - 1, 1);
    t.write(10 * S, 1);
    expect([t.writeRequests, t.writeUnits]).toEqual([1, 1]);
  });
});
