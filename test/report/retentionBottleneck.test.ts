// Records that expired unread make a consumer fall more than the retention period behind; they do not say why. The
// bottleneck is what held it back that far, the one a longer retention leaves in place (helper-47's probes): before,
// any expired record made "retention" the bottleneck and the cause of every lag SLO, hiding a record processor slower
// than its shard or a worker down for a day.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const H = 3_600_000_000;

/** 1 shard, 10 records/s of 1 KiB, one KCL worker; 1 s windows keep a day's run fast. */
function run(o: { hours: number; retentionHours: number; perRecord: string; faults?: unknown[] }) {
  return simulateScenario(
    scenarioOf({
      seed: 1,
      duration: `${o.hours}h`,
      warmup: "10m",
      fidelity: { window: "1s" },
      stream: { name: "s", shards: 1, retention: `${o.retentionHours}h` },
      producers: [{ name: "p", client: "sdk", instances: 1, rate: { shape: "constant", value: "10/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
      consumers: [{ name: "c", kind: "kcl", workers: 1, processing: { perRecord: o.perRecord, concurrency: 1 }, checkpoint: { every: "10s" } }],
      faults: o.faults ?? [],
      slo: { maxOldestUnprocessedAge: "1h", consumerLostPercent: 0 },
    }),
  );
}

describe("a record processor at 1 record/s on a shard taking 10/s, for 30 h", () => {
  const day = run({ hours: 30, retentionHours: 24, perRecord: "1s" });
  const twoDays = run({ hours: 30, retentionHours: 48, perRecord: "1s" });

  it("records expire with 24 h retention, none with 48 h; the oldest unprocessed age is about the same either way", () => {
    expect(day.consumers[0]!.accounting.expiredUnread).toBeGreaterThan(0);
    expect(twoDays.consumers[0]!.accounting.expiredUnread).toBe(0);
    // Processing 1/s of 10/s, the oldest waiting record at the end arrived near the start: 26 h or more of waiting.
    for (const r of [day, twoDays]) expect(r.consumers[0]!.maxOldestUnprocessedAge).toBeGreaterThan(26 * H);
  });

  it("the bottleneck is processing with either retention (it was 'retention' with 24 h)", () => {
    expect(judge(day).consumers[0]!.bottleneck).toBe("processing");
    expect(judge(twoDays).consumers[0]!.bottleneck).toBe("processing");
  });

  it("the sentence names processing, then the records that expired and that more retention postpones only their loss", () => {
    const why = verdictOf(day).slos.find((s) => s.name === "maxOldestUnprocessedAge")!.why!;
    expect(why).toContain("falls further behind");
    expect(why).toContain(`${day.consumers[0]!.accounting.expiredUnread.toLocaleString("en-US")} records expired unread (whole run): it fell more than the stream's retention period (24 h) behind (a longer retention postpones that loss, not the lag)`);
    expect(why).not.toContain("fell more than the retention period behind:");
    // Past an hour an age reads in hours and minutes, not "1628.0 min".
    expect(why).toMatch(/grew to \d+ h \d+ min old/);
  });

  it("it is true: processing at 50 ms a record meets both SLOs with 24 h retention", () => {
    const fast = run({ hours: 30, retentionHours: 24, perRecord: "50ms" });
    expect(judge(fast).slos.every((s) => s.met)).toBe(true);
  });
});

describe("the only worker down from 1 h to 26 h, 24 h retention", () => {
  const faults = [
    { at: "1h", kind: "worker-crash", consumer: "c", workers: 1 },
    { at: "26h", kind: "worker-restart", consumer: "c", workers: 1 },
  ];
  const r = run({ hours: 28, retentionHours: 24, perRecord: "1ms", faults });

  it("the records of 1 h to 2 h expire before the restart at 26 h: 3,600 s × 10/s = 36,000", () => {
    expect(r.consumers[0]!.accounting.expiredUnread).toBe(36_000);
  });

  it("the bottleneck is the crash's catch-up, as with 48 h retention, where nothing expires (it was 'retention')", () => {
    const long = run({ hours: 28, retentionHours: 48, perRecord: "1ms", faults });
    expect(long.consumers[0]!.accounting.expiredUnread).toBe(0);
    expect(judge(r).consumers[0]!.bottleneck).toBe("catch-up after a fault");
    expect(judge(long).consumers[0]!.bottleneck).toBe("catch-up after a fault");
  });
});

describe("the only worker down from 1 h to 40 h, 24 h retention", () => {
  const r = run({
    hours: 42,
    retentionHours: 24,
    perRecord: "1ms",
    faults: [
      { at: "1h", kind: "worker-crash", consumer: "c", workers: 1 },
      { at: "40h", kind: "worker-restart", consumer: "c", workers: 1 },
    ],
  });
  const c = r.consumers[0]!;

  it("the records of 1 h to 16 h expire: 15 h × 36,000 an hour = 540,000", () => {
    expect(c.accounting.expiredUnread).toBe(540_000);
  });

  it("the oldest record waiting is never older than the retention period: older ones are gone, not waiting (it read 39 h)", () => {
    // From 25 h on, the oldest record the stream holds arrived 24 h before: the age stays at 24 h (sampled each second).
    expect(c.maxOldestUnprocessedAge).toBeLessThanOrEqual(24 * H);
    expect(c.maxOldestUnprocessedAge).toBeGreaterThan(24 * H - 2_000_000);
  });
});
