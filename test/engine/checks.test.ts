// The engine's debug mode (Simulator { checks: true }, build's `checks`): what it catches, and that it changes nothing
// when nothing is wrong.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InvariantError, Simulator } from "../../src/engine/simulator.js";
import { BatchSplitError, checkBatchSplits, splitOldest, type Batch } from "../../src/model/batch.js";
import { splitChunk } from "../../src/model/firehose/buffer.js";
import { runScenarioText } from "../../src/run.js";

afterEach(() => checkBatchSplits(false));

describe("Simulator with checks", () => {
  it("runs the same events in the same order as without", () => {
    const logs = [false, true].map((checks) => {
      const sim = new Simulator({ checks });
      const log: [string, number][] = [];
      sim.scheduleAt(20, (t) => log.push(["b", t]));
      sim.scheduleAt(10, (t) => {
        log.push(["a", t]);
        sim.scheduleAfter(5, (u) => log.push(["c", u]));
      });
      sim.runUntil(100);
      return log;
    });
    expect(logs[1]).toEqual([["a", 10], ["c", 15], ["b", 20]]);
    expect(logs[1]).toEqual(logs[0]);
  });

  it("refuses a runUntil before now (time going backwards), which the plain loop ignores", () => {
    const plain = new Simulator();
    plain.runUntil(50);
    expect(() => plain.runUntil(10)).not.toThrow();
    const checked = new Simulator({ checks: true });
    checked.runUntil(50);
    expect(() => checked.runUntil(10)).toThrow(InvariantError);
  });

  it("catches an event that comes out of the queue before the clock", () => {
    const sim = new Simulator({ checks: true });
    sim.scheduleAt(10, () => {});
    sim.scheduleAt(20, () => {});
    sim.runUntil(15);
    // Corrupt the queue as a heap bug would: the remaining event now says 5 µs.
    (sim as unknown as { queue: { times: Float64Array } }).queue.times[0] = 5;
    expect(() => sim.runUntil(30)).toThrow(/time went backwards/);
  });
});

describe("batch splits with checks", () => {
  const b: Batch = { shard: 0, records: 7, users: 7, bytes: 1001, keyBytes: 252, firstBorn: 100, lastBorn: 800 };

  it("a split conserves records, users, bytes and key bytes (1001 B over 7 records: 429 + 572 for k = 3)", () => {
    checkBatchSplits(true);
    const [h, t] = splitOldest(b, 3);
    expect([h.records, h.bytes, h.keyBytes, t.records, t.bytes, t.keyBytes]).toEqual([3, 429, 108, 4, 572, 144]);
    expect([h.firstBorn, h.lastBorn, t.firstBorn, t.lastBorn]).toEqual([100, 400, 400, 800]);
  });

  it("k outside (0, records) is a BatchSplitError with checks, unchecked without", () => {
    expect(() => splitOldest(b, 7)).not.toThrow();
    checkBatchSplits(true);
    expect(() => splitOldest(b, 7)).toThrow(BatchSplitError);
    expect(() => splitOldest(b, 0)).toThrow(/k must be a whole number in \(0, 7\)/);
    expect(() => splitChunk({ records: 4, bytes: 10, firstBorn: 0, lastBorn: 4, entered: 0 }, 4)).toThrow(BatchSplitError);
  });

  it("a sample run with checks writes the same report.json as without (the checks observe, never change)", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "scenarios", "quickstart.yaml"), "utf8");
    const provenance = { scenarioFile: "scenarios/quickstart.yaml", scenarioSha256: "0" };
    const plain = runScenarioText(text, provenance).files["report.json"];
    const checked = runScenarioText(text, provenance, { checks: true }).files["report.json"];
    expect(checked).toBe(plain);
  });
});
