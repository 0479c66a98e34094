// What a producer replaying a trace bills. A trace gives each period's records and bytes, so a run sizes each period's
// records at that period's mean (bytes ÷ records); Kinesis bills each record rounded up on its own
// (https://aws.amazon.com/kinesis/data-streams/pricing/: PUT payload units of 25 KB, 25,600 B here; an on-demand
// stream's data in to 1 KiB). The committed trace test/fixtures/traces/mixed-sizes.csv alternates minutes of 100
// records/s of 100 B and of 1,500 B: each record bills 1 KiB or 2 KiB, 1.5 KiB on average, where the whole trace's mean
// size, 800 B, would bill 1 KiB.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build } from "../../src/model/build.js";
import { simulate } from "../../src/model/simulate.js";
import { simulateScenario } from "../../src/run.js";
import { COST_ITEMS } from "../../src/result/cost.js";
import { streamTraffics } from "../../src/sweep/estimate.js";
import { parseTraceCsv, type Trace } from "../../src/workload/trace.js";
import { scenarioOf } from "./scenarioOf.js";

const KiB = 1_024;
const file = "mixed-sizes.csv";
const mixed = parseTraceCsv(readFileSync(new URL("../fixtures/traces/mixed-sizes.csv", import.meta.url), "utf8"), file);

const traced = (trace: Trace, mode: "provisioned" | "on-demand", duration = "4m", api = "PutRecords") => ({
  scenario: scenarioOf({
    seed: 5,
    duration,
    warmup: "0s",
    stream: { name: "s", mode, shards: 2 },
    producers: [{ name: "web", client: "sdk", instances: 2, api, rate: { shape: "trace", file, within: "even" }, partitionKey: { kind: "random", length: 36 } }],
  }),
  traces: new Map([[file, trace]]),
});

/** What the producer's records accepted bill each, on average: all it offered (by default all of the trace's), none throttled. */
function perRecord(t: ReturnType<typeof traced>, records = t.traces.get(file)!.records.reduce((a, b) => a + b, 0)) {
  const m = simulate(build(t.scenario, { traces: t.traces }));
  const s = m.producers[0]!.model.stats;
  const accepted = s.attempts - s.throttledAttempts;
  expect(accepted).toBe(records);
  return { units: s.payloadUnits / accepted, kib: s.onDemandBilledBytes / KiB / accepted };
}

describe("a trace producer bills each period's records at their own size, rounded up", () => {
  it("the fixture: 100 records/s, 100 B in minutes 1 and 3, 1,500 B in minutes 2 and 4", () => {
    expect(mixed.records).toEqual([6000, 6000, 6000, 6000]);
    expect(mixed.bytes!.map((b, i) => b / mixed.records[i]!)).toEqual([100, 1500, 100, 1500]);
  });

  it.each(["PutRecords", "PutRecord"])("on-demand data in: (1 KiB + 2 KiB) ÷ 2 = 1.5 KiB a record (%s), not the mean 800 B's 1 KiB", (api) => {
    expect(perRecord(traced(mixed, "on-demand", "4m", api)).kib).toBeCloseTo(1.5, 9);
  });

  it("the monthly bill: 100 records/s × 1.5 KiB at $0.08 a GB over 730 h, $32.29 (not $21.53)", () => {
    const t = traced(mixed, "on-demand");
    const r = simulateScenario(t.scenario, { traces: t.traces });
    const usd = (100 * 1.5 * KiB * 2_628_000 * 0.08) / 1e9;
    expect(usd).toBeCloseTo(32.29, 2);
    expect(r.cost.items.find((i) => i.item === COST_ITEMS.onDemandDataIn)!.usd).toBeCloseTo(usd, 6);
  });

  it("PUT payload units: minutes of 100 B and 30,000 B records bill 1 and 2 units, 1.5 a record (the mean, 15,050 B, is 1 unit)", () => {
    // 10 records/s, within the shards' 1 MiB/s each.
    const big: Trace = { ...mixed, records: [600, 600, 600, 600], bytes: [60_000, 18_000_000, 60_000, 18_000_000] };
    expect(perRecord(traced(big, "provisioned")).units).toBeCloseTo(1.5, 9);
  });

  it("a 2 min 30 s run bills the periods it replays: 1, 2 and half of 3, (1.5 × 1 KiB + 2 KiB) ÷ 2.5 = 1.4 KiB a record (not the whole trace's 1.5)", () => {
    expect(perRecord(traced(mixed, "on-demand", "150s"), 15_000).kib).toBeCloseTo(1.4, 9);
  });

  it("the estimate bills the same: 1.5 KiB and 1.5 units a record; for 2 min 30 s, 1.4 KiB", () => {
    const big: Trace = { ...mixed, records: [600, 600, 600, 600], bytes: [60_000, 18_000_000, 60_000, 18_000_000] };
    const onDemand = (t: ReturnType<typeof traced>) => streamTraffics(t.scenario, t.traces)[0]!.traffic;
    expect(onDemand(traced(mixed, "on-demand")).onDemandBytesPerRecord / KiB).toBeCloseTo(1.5, 9);
    expect(onDemand(traced(big, "provisioned")).payloadUnitsPerRecord).toBeCloseTo(1.5, 9);
    expect(onDemand(traced(mixed, "on-demand", "150s")).onDemandBytesPerRecord / KiB).toBeCloseTo(1.4, 9);
  });
});
