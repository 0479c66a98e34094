// DynamoTable: a lease table's capacity (DynamoDB developer guide: capacity modes, burst capacity). Provisioned: a token bucket per direction at the
// provisioned units per second that keeps up to `burst` seconds of unused capacity and starts full;
// on-demand: twice the previous peak per second, the peak rising 30 minutes after a busier second.
import { describe, expect, it } from "vitest";
import { DynamoTable } from "../../src/model/dynamodb/table.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { LeaseTableSchema } from "../../src/spec/index.js";
import { scenarioOf } from "./scenarioOf.js";

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
  // DynamoDB developer guide, on-demand capacity mode (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html)
  // and https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb: a new table's previous peak is
  // 2,000 WRU or 6,000 RRU; it serves twice its previous peak (4,000 WRU or 12,000 RRU, or any linear
  // combination of the two) and may throttle above that until 30 minutes have passed. shardcast counts whole
  // seconds and raises the previous peak to a second's units 30 minutes after that second began.
  const MIN30 = 1_800;

  /** Offers `perSecond` 1-unit writes spread evenly over second `k`; returns how many were served. */
  const offerSecond = (t: DynamoTable, k: number, perSecond: number) => writeEvery(t, k * S, Math.floor(S / perSecond), perSecond);

  it("a new table serves 4,000 WRU a second: 5,000 renewals/s offered are throttled to 4,000/s for 30 minutes, then all served", () => {
    const t = table({ capacity: "onDemand" }, { duration: 1_810 * S });
    const served: number[] = [];
    for (let k = 0; k < MIN30 + 10; k++) served.push(offerSecond(t, k, 5_000));
    expect(served.slice(0, MIN30)).toEqual(new Array(MIN30).fill(4_000));
    // From 30:00 the previous peak is second 0's 4,000 WRU: 8,000 are in force, so all 5,000 get in.
    expect(served.slice(MIN30)).toEqual(new Array(10).fill(5_000));
    expect([t.writeRequests, t.throttledWrites]).toEqual([1_810 * 5_000, MIN30 * 1_000]);
    expect(t.onDemand).toEqual({ previousPeak: { write: 2_000, read: 6_000 }, initial: { write: 4_000, read: 12_000 }, highest: { write: 8_000, read: 24_000 }, raisedAt: MIN30 * S });
  });

  it("after 30 minutes of a 3,000 WRU/s peak it serves 6,000 WRU/s, not sooner", () => {
    const t = table({ capacity: "onDemand" }, { duration: 3_600 * S });
    for (let k = 0; k < MIN30 - 1; k++) expect(offerSecond(t, k, 3_000)).toBe(3_000);
    // At 29:59 the capacity is still a new table's 4,000.
    expect(offerSecond(t, MIN30 - 1, 7_000)).toBe(4_000);
    // At 30:00 second 0's 3,000 has counted for 30 minutes: 2 × 3,000 = 6,000 are in force.
    expect(offerSecond(t, MIN30, 7_000)).toBe(6_000);
    expect(offerSecond(t, MIN30 + 100, 7_000)).toBe(6_000);
    // Second 29:59's 4,000 counts from 59:59: then 8,000.
    expect(offerSecond(t, 2 * MIN30 - 1, 9_000)).toBe(8_000);
  });

  it("reads and writes share the capacity as a linear combination: 2,000 WRU + 6,000 RRU fill a new table's second", () => {
    const t = table({ capacity: "onDemand" });
    expect(t.write(0, 2_000)).toBe(true);
    expect(t.read(0, 6_000)).toBe(true);
    expect(t.write(0, 1)).toBe(false);
    expect(t.read(0, 0.5)).toBe(false);
    // Reads alone: 12,000 RRU in a second, not 12,000.5.
    expect(t.read(S, 12_000)).toBe(true);
    expect(t.read(S, 0.5)).toBe(false);
    expect([t.throttledWrites, t.throttledReads]).toEqual([1, 2]);
  });

  it("a table that already served a higher peak (previousPeak) serves twice it at once", () => {
    const t = table({ capacity: "onDemand", previousPeak: { write: 10_000, read: 30_000 } });
    expect(t.write(0, 20_000)).toBe(true);
    expect(t.write(0, 1)).toBe(false);
    // 20,000 WRU, or 60,000 RRU capped at the table quota of 40,000.
    expect(t.onDemand!.initial).toEqual({ write: 20_000, read: 40_000 });
  });

  it("never more than the table quota, 40,000 WRU and 40,000 RRU a second, whatever the previous peak", () => {
    const t = table({ capacity: "onDemand", previousPeak: { write: 30_000, read: 30_000 } });
    expect(t.write(0, 40_000)).toBe(true);
    expect(t.write(0, 1)).toBe(false);
    expect(t.read(S, 40_000)).toBe(true);
    expect(t.read(S, 1)).toBe(false);
    expect(t.onDemand!.initial).toEqual({ write: 40_000, read: 40_000 });
  });

  it("small tables are unaffected: a lease table's few units a second are never throttled, and every unit and request is counted", () => {
    const t = table({ capacity: "onDemand" });
    expect(t.provisioned).toBeNull();
    for (let k = 0; k < 600; k++) offerSecond(t, k, 50);
    expect(t.read(S, 0.5)).toBe(true);
    expect(t.read(S, 2)).toBe(true);
    expect([t.writeUnits, t.writeRequests, t.throttledWrites]).toEqual([30_000, 30_000, 0]);
    expect([t.readUnits, t.readRequests, t.throttledReads]).toEqual([2.5, 2, 0]);
    expect(sum(t.consumed.row(0))).toBe(30_000);
    expect(sum(t.consumed.row(1))).toBe(2.5);
    expect(sum(t.throttled.row(0)) + sum(t.throttled.row(1))).toBe(0);
    expect(t.onDemand!.raisedAt).toBeNull();
  });

  it("keeps the capacity it reached through hours of silence, and reaches it from a single busy second", () => {
    const t = table({ capacity: "onDemand" }, { duration: 20 * 3_600 * S });
    expect(t.write(5 * S, 3_500)).toBe(true); // second 5: 3,500 WRU
    // Ten hours later, twice that is in force: 7,000.
    expect(t.write(10 * 3_600 * S, 7_000)).toBe(true);
    expect(t.write(10 * 3_600 * S, 1)).toBe(false);
    expect(t.onDemand!.raisedAt).toBe((5 + MIN30) * S);
    expect(t.onDemand!.highest).toEqual({ write: 14_000, read: 40_000 });
  });
});

describe("a KCL application on a 10,000-shard stream (the most a stream may have) with an on-demand lease table", () => {
  // Two workers race for the 10,000 leases at start, one conditional write every 10 ms each, and renew what they
  // hold every 3.3 s, all of a worker's leases at one instant: by the time they hold about 4,000 each, a second
  // with a worker's renewals asks for more than a new on-demand table's 4,000 WRU (writes plus a third of the
  // reads), so renewals are throttled and leases lost. A table that already served a peak of 20,000 WRU/s has
  // 40,000 in force.
  const run = (leaseTable: Record<string, unknown>) =>
    simulateScenario(
      scenarioOf({
        duration: "90s",
        stream: { shards: 10_000 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "app", kind: "fanout", workers: 2, leaseTable }],
      }),
    );
  const PROVENANCE = { scenarioFile: "scenarios/t.yaml", scenarioSha256: "ab".repeat(32) };

  it("a new table: the busiest seconds are held at 4,000 WRU/s, renewals are throttled and leases lost; the report shows the capacity", () => {
    const r = run({ capacity: "onDemand" });
    expect(r.resolutionUs).toBe(S);
    const c = r.consumers[0]!;
    const t = c.leaseTable!.series;
    expect(Math.max(...t.writeUnitsPerSecond)).toBe(4_000);
    for (let k = 0; k < t.writeUnitsPerSecond.length; k++) expect(t.writeUnitsPerSecond[k]! + t.readUnitsPerSecond[k]! / 3).toBeLessThanOrEqual(4_000 + 1e-9);
    expect(c.leases!.renewalsThrottled).toBeGreaterThan(0);
    expect(c.leases!.lost).toBeGreaterThan(0);
    const json = buildReportJson(r, PROVENANCE).consumers[0]!.leaseTable!;
    expect(json.onDemand).toEqual({
      previousPeak: { writeUnitsPerSecond: 2_000, readUnitsPerSecond: 6_000 },
      capacityAtStart: { writeUnitsPerSecond: 4_000, readUnitsPerSecond: 12_000 },
      highestCapacity: { writeUnitsPerSecond: 4_000, readUnitsPerSecond: 12_000 },
      raisedAtSeconds: null,
    });
    expect(buildReportMarkdown(r, PROVENANCE)).toContain("| app | on-demand: 4,000 WRU/s or 12,000 RRU/s |");
  });

  it("a table that served 20,000 WRU/s before (previousPeak) throttles nothing, though some seconds ask for more than 4,000", () => {
    const c = run({ capacity: "onDemand", previousPeak: { write: 20_000 } }).consumers[0]!;
    expect(Math.max(...c.leaseTable!.series.writeUnitsPerSecond)).toBeGreaterThan(4_000);
    expect([c.leaseTable!.throttledWrites, c.leaseTable!.throttledReads, c.leases!.lost]).toEqual([0, 0, 0]);
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
