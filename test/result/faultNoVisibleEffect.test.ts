// helper-47: workers added to a consumer already falling behind (the kcl3-rebalance sample with the two workers added
// at 19 min, after the 14-min crash) read "the oldest unprocessed record reached 2 min 44 s (1 min 57 s just before);
// back to normal by 0:19:01" while the age climbed on to the end of the run. The age never rose above 1.5 × its level
// before: the fault had no visible effect, caused no maximum and no recovery, and the report must say so.
import { describe, expect, it } from "vitest";
import { faultJson } from "../../src/report/json.js";
import { faultSummary } from "../../src/report/verdict.js";
import { faultResults } from "../../src/result/faults.js";
import type { ConsumerResult } from "../../src/result/runResult.js";
import type { FaultSpec } from "../../src/spec/index.js";

const S = 1_000_000;

describe("a fault with no visible effect on a lag that was growing before it and went on growing", () => {
  // One step a second, 179 steps (0:00 to 2:59): the oldest unprocessed record is 40 s old at the start and ages half a
  // second a second throughout (step i: 40 + i/2 s). Two workers are added at 100 s and change nothing.
  const ages = Array.from({ length: 179 }, (_, i) => (40 + i / 2) * S);
  const zero = ages.map(() => 0);
  const lostAgain = { fromCheckpoint: zero, fromTrimHorizon: zero, atLatest: zero, skipped: zero, writtenAgain: zero };
  const consumer = { name: "app", lateReReads: [], series: { oldestUnprocessedAge: ages, reprocessed: zero, skipped: zero, lostAgain } } as unknown as ConsumerResult;
  const fault: FaultSpec = { at: 100 * S, kind: "worker-add", consumer: "app", workers: 2 };
  const [f] = faultResults([fault], [consumer], [], S);

  it("has no maximum and no recovery of its own: the level before, the age at the end of the span looked at, still growing", () => {
    // Just before: the median of steps 85..99 is step 92's, 40 + 46 = 86 s; visible above 1.5 × 86 s + 1 s = 130 s, which
    // the age never passes (129 s at the last step, 178). The span looked at runs two minutes past the fault (step 220),
    // so to the end of the run: the last step's age, 129 s, at 179 s. Still growing: the median of its last 15 steps
    // (164..178, step 171's 125.5 s) is above that of the 15 before (149..163, step 156's 118 s).
    expect(f!.effect).toEqual({ kind: "lag", visible: false, beforeUs: 86 * S, lastUs: 129 * S, lastAtUs: 179 * S, growing: true, reprocessed: 0, reprocessedFrom: { checkpoint: 0, trimHorizon: 0, latest: 0 }, writtenAgain: 0, skipped: 0, reReadFor: [] });
  });

  it("says so in report.json and in words, without 'back to normal'", () => {
    expect(faultJson(f!).effect).toEqual({ kind: "lag", visible: false, beforeSeconds: 86, lastSeconds: 129, lastAtSeconds: 179, growing: true, reprocessedRecords: 0, skippedRecords: 0, writtenAgainRecords: 0 });
    expect(faultSummary(f!)).toBe(
      "workers added (2 workers) of app at 0:01:40: no rise in the lag: the oldest unprocessed record was 86 s old just before and 2 min 9 s at 0:02:59, still growing.",
    );
  });

  it("still has its maximum and recovery when the age rose above its level before, carried on at the pace it grew", () => {
    // The same ages with a crash's unread shards on top from 100 s to 119 s: 3 s more a step. The age grew 0.5 s a step
    // before (the median of steps 70..84, 78.5 s, to 86 s), so the threshold at step i is 1.5 × (86 + 0.5 (i − 92.5)) s + 1 s:
    // the age (3.5 i − 257 s) passes it at step 116 (149 s against 147.6 s).
    const risen = ages.map((a, i) => (i >= 100 && i < 120 ? a + (i - 99) * 3 * S : a));
    const [g] = faultResults([{ at: 100 * S, kind: "worker-crash", consumer: "app", workers: 1 }], [{ ...consumer, series: { ...consumer.series, oldestUnprocessedAge: risen } } as ConsumerResult], [], S);
    // Step 119: 40 + 59.5 + 60 = 159.5 s, the highest; back under the threshold at step 120 (100 s against 150.6 s).
    // The trend: (86 − 78.5) s over 15 steps, 0.5 s a second between the two medians, the pace it grew at (helper-55:
    // recovery is a return to that trend, not to the 86 s before, and the sentence says so).
    expect(g!.effect).toEqual({ kind: "lag", visible: true, beforeUs: 86 * S, maxUs: 159.5 * S, recoveredAtUs: 120 * S, trendUsPerSecond: 0.5 * S, reprocessed: 0, reprocessedFrom: { checkpoint: 0, trimHorizon: 0, latest: 0 }, writtenAgain: 0, skipped: 0, reReadFor: [] });
    expect(faultSummary(g!)).toBe("worker crash (1 worker) of app at 0:01:40: the oldest unprocessed record reached 2 min 40 s (86 s just before); no record processed again; back on the trend it grew at before (500 ms a second) by 0:02:00.");
    expect(faultJson(g!).effect).toMatchObject({ visible: true, recoveredAtSeconds: 120, trendSecondsPerSecond: 0.5 });
    // 2 s more a step (139.5 s at step 119) stays under it: 1.4 × what the trend gives, as a steady age of 86 s rising to 126 s.
    const less = ages.map((a, i) => (i >= 100 && i < 120 ? a + (i - 99) * 2 * S : a));
    const [h] = faultResults([{ at: 100 * S, kind: "worker-crash", consumer: "app", workers: 1 }], [{ ...consumer, series: { ...consumer.series, oldestUnprocessedAge: less } } as ConsumerResult], [], S);
    expect(h!.effect).toMatchObject({ visible: false });
  });
});
