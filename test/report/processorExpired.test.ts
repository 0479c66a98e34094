// A stream processor (Flink, Spark) that falls more than the stream's retention behind loses what expired before its
// reader reached it: it reads each shard from its own position (the job's checkpointed state), with no lease whose
// initial position (LATEST) a new owner starts from. Its report says so, not a KCL application's words for skips.
//
// One shard, 10 records/s (one every 100 ms, 20 ms put latency); the job processes 1 s a record and reads at most 10
// records a call, 20 ms a call. FlinkKinesisConsumer's fetch loop fetches, processes, then fetches again (the 200 ms
// period long passed): a cycle is 10 × 1 s + 20 ms = 10.02 s for 10 records, M/c = 0.998 records/s. Retention R = 24 h.
// The record the job reaches at t arrived at about t × 0.998 / 10, so it is R old when t (1 − 0.0998) = R: T0 =
// 86,400 / 0.9002 = 95,979 s (26.7 h). From then each call finds its next record expired and reads the 10 at the trim
// horizon: of the 10 records/s arriving, 0.998 are read, the rest expire. At the end (D = 36 h = 129,600 s) the records
// expired are those older than R never read: (D − T0) × (10 − 0.998) = 33,621 × 9.002 ≈ 302,660 (to within a
// cycle's records at each end: ±1%).
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";
import { thousands } from "../../src/report/format.js";

function behind(consumer: Record<string, unknown>) {
  return simulateScenario(
    scenarioOf({
      seed: 1,
      duration: "36h",
      warmup: "1m",
      stream: { shards: 1, retention: "24h" },
      producers: [
        {
          name: "p",
          client: "sdk",
          rate: { shape: "constant", value: "10/s" },
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "explicit", hashKeys: ["0"] },
          latency: { dist: "fixed", value: "20ms" },
        },
      ],
      consumers: [{ name: "job", processing: { perRecord: "1s" }, ...consumer }],
      slo: { consumerLostPercent: 1 },
    }),
  );
}

describe("a Flink job more than the retention behind", () => {
  const r = behind({ kind: "flink", poll: { maxRecords: 10, latency: { dist: "fixed", value: "20ms" } } });
  const c = r.consumers[0]!;

  it("loses what expired before it read it: (D − T0) × (input − processing rate) ≈ 302,660", () => {
    expect(c.accounting.balanced).toBe(true);
    expect(c.accounting.skipped).toBe(0);
    // Within a cycle's records at either end (10.02 s × 9 expiring a second ≈ 90) and T0's rounding: ± 1,000.
    expect(Math.abs(c.accounting.expiredUnread - 302_660)).toBeLessThan(1_000);
  });

  it("words them as expired past the retention before the job read them, never as skips at LATEST", () => {
    const md = buildReportMarkdown(r, PROVENANCE);
    const n = thousands(c.accounting.expiredUnread);
    expect(md).toContain(`consumer job never processed ${n} of the`);
    expect(md).toContain(`: ${n} expired in the stream unread.`);
    expect(md).toContain(
      `${n} records expired unread (whole run): they passed the stream's retention period (24 h) before the Flink job read them, as it fell that far behind; a stream processor reads each shard from its own position, kept in its checkpoints, not from a lease's initial position, so what it loses is what expires (a longer retention postpones that loss, not the lag).`,
    );
    expect(md).toContain("+ skipped (none for a stream processor: it reads each shard from its own position, kept in its checkpoints, so what it loses is what expires before it reads it).");
    expect(md).not.toMatch(/LATEST|new lease owner|initial position, LATEST/);
  });
});

describe("a Spark query more than the retention behind", () => {
  it("says the same of its records: expired before the Spark query read them, no skips", () => {
    const r = behind({ kind: "spark", poll: { maxRecords: 10, latency: { dist: "fixed", value: "20ms" } } });
    const c = r.consumers[0]!;
    expect(c.accounting).toMatchObject({ balanced: true, skipped: 0 });
    expect(c.accounting.expiredUnread).toBeGreaterThan(0);
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toContain(`${thousands(c.accounting.expiredUnread)} records expired unread (whole run): they passed the stream's retention period (24 h) before the Spark query read them`);
    expect(md).not.toMatch(/LATEST|new lease owner/);
  });
});
