// helper-54's review of the reshard and on-demand sentences (stop 37): a split called as the one before completed made
// that one "stop write throttling when it completed"; a split the service made for an Advantage stream's warm
// throughput read as its own scaling; "Shard-hours bill the open shards" under on-demand streams; report.json's
// stream.mode always "provisioned".
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const clock = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;

/**
 * 2 shards at 3,000 records/s of 500 B (1,500/s each: both throttle); shard 0 split at 1:00 (done 1:30), shard 1 at 1:30,
 * as the first completes (done 2:00); then `more` reshards.
 */
const twoSplits = (more: unknown[] = []) =>
  simulateScenario(
    scenarioOf({
      seed: 9,
      duration: "4m",
      warmup: "1m",
      stream: { name: "s", shards: 2 },
      reshards: [
        { at: "1m", kind: "split", shard: "shardId-000000000000", hashKey: "85070591730234615865843651857942052864" },
        { at: "90s", kind: "split", shard: "shardId-000000000001", hashKey: "255211775190703847597530955573826158592" },
        ...more,
      ],
      producers: [{ name: "web", client: "sdk", instances: 4, rate: { shape: "poisson", value: "3000/s" }, recordSize: { dist: "fixed", size: "500B" } }],
    }),
  );

describe("two splits, the second called as the first completes", () => {
  // 2 shards at 3,000 records/s of 500 B (1,500/s each: both throttle). Shard 0 is split at 1:00 (done 1:30), shard 1 at
  // 1:30, as the first completes (done 2:00); the stream switches to on-demand at 3:00.
  const r = twoSplits([{ at: "3m", kind: "switch-mode", mode: "on-demand" }]);
  const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));
  const throttled = r.series.throttledRecords;
  const step = r.resolutionUs / 1e6;

  it("the first split: writes still throttled after it completed (shard 1), until the second split's end", () => {
    // Independently: shard 1 throttles from 1:30 to 2:00, so the stream's throttled series is not zero after 1:30.
    const after = throttled.slice(90 / step, 120 / step);
    expect(after.filter((x) => x > 0).length).toBeGreaterThan(20 / step);
    let last = -1;
    for (let i = 60 / step; i < 120 / step; i++) if (throttled[i]! > 0) last = i;
    const line = md.split("\n").find((l) => l.startsWith("- SplitShard of shardId-000000000000"))!;
    expect(line).not.toContain("stopped when it completed");
    expect(line).toContain(`writes were still throttled until ${clock((last + 1) * step)}`);
  });

  it("the footnote: shard-hours while provisioned, none on-demand; report.json: provisioned, then on-demand at 180 s", () => {
    expect(md).toContain("Shard-hours bill the open shards while the stream is provisioned; on-demand bills none");
    const j = buildReportJson(r, PROVENANCE);
    expect(j.stream.mode).toBe("provisioned");
    expect(j.stream.modeSwitches).toEqual([{ atSeconds: 180, mode: "on-demand" }]);
  });
});

describe("an On-demand Advantage stream given warm throughput at 2:00", () => {
  // 4 shards (previousPeak 2 MiB/s... and 4 shards), warm throughput 8 MiB/s at 2:00: the service opens 8 shards for it.
  const r = simulateScenario(
    scenarioOf({
      seed: 31,
      duration: "4m",
      warmup: "1m",
      stream: { name: "checkout", mode: "on-demand-advantage", shards: 4, onDemand: { previousPeak: "2MiB/s", scaleDelay: "10m" } },
      reshards: [{ at: "2m", kind: "warm-throughput", value: "8MiB/s" }],
      producers: [{ name: "checkout", client: "sdk", instances: 4, rate: { shape: "constant", value: "1024/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    }),
  );
  const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));

  it("the split is said to be for the warm throughput, not the service's own scaling", () => {
    const line = md.split("\n").find((l) => l.startsWith("- The on-demand service's split"))!;
    expect(line).toMatch(/^- The on-demand service's split of 4 shards into 8 for the stream's warm throughput: called at 0:02:00/);
    expect(line).not.toContain("(by on-demand)");
  });

  it("no shard-hours in the footnote, and report.json names the mode", () => {
    expect(md).toContain("On-demand bills no shard-hours");
    expect(md).not.toContain("Shard-hours bill the open shards");
    const j = buildReportJson(r, PROVENANCE);
    expect(j.stream.mode).toBe("on-demand-advantage");
    expect(j.stream.modeSwitches).toBeUndefined();
    // The bill has no shard-hour item.
    expect(JSON.stringify(j.monthlyCost)).not.toMatch(/shard-hour/i);
  });
});

describe("an on-demand split completing as the surge that throttled ends (helper-54)", () => {
  // On-demand Standard from 4 shards (previousPeak 2 MiB/s); 1,024 records/s of 1 KiB, 6,144/s from 2:00 to 4:00 (6 MiB/s,
  // over 4 shards' 4 MiB/s), then 1,024/s again. The split the service decides completes at 4:00, as the surge ends: the
  // 1 MiB/s after it is within the 4 shards' 4,000 records/s and 4 MiB/s. With the split delayed to 6:00 (scaleDelay 4m)
  // throttling stops at 4:01 all the same.
  const run = (scaleDelay: string) =>
    simulateScenario(
      scenarioOf({
        seed: 31,
        duration: "6m",
        warmup: "1m",
        stream: { name: "checkout", mode: "on-demand", onDemand: { previousPeak: "2MiB/s", scaleDelay } },
        producers: [
          {
            name: "checkout",
            client: "sdk",
            instances: 4,
            rate: { shape: "step", levels: [{ at: "0s", value: "1024/s" }, { at: "2m", value: "6144/s" }, { at: "4m", value: "1024/s" }] },
            recordSize: { dist: "fixed", size: "1KiB" },
          },
        ],
      }),
    );

  it("says the offered load fell too, with what the stream took and what the 4 shards before take", () => {
    const r = run("2m");
    const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));
    const line = md.split("\n").find((l) => l.startsWith("- The on-demand service's split of 4 shards"))!;
    expect(line).toContain("UPDATING until 0:04:00");
    // Each parent's 4 children took about 256 records/s of 1 KiB in the minute after 4:00: within one shard's 1,000 records/s.
    expect(line).toMatch(/write throttling stopped when it completed \(last throttled second 0:0[34]:\d\d\), but so did the offered load: in the 1 min after, the new shards of each shard it closed took at most \d{3} records\/s \([\d.]+ KiB\/s\) together, within the 1,000 records\/s and 1 MiB\/s one shard takes/);
    // The counterfactual: no split within the surge's end, and throttling stops at the same time.
    const late = run("4m");
    const stop = (x: typeof r) => {
      let last = -1;
      x.series.throttledRecords.forEach((v, i) => {
        if (v > 0) last = i;
      });
      return last;
    };
    expect(Math.abs(stop(late) - stop(r))).toBeLessThanOrEqual(2);
  });

  it("a split that the load still needs after it completes gets no such clause", () => {
    // The second of two back-to-back splits (first describe): 3,000 records/s of 500 B stay above 3 shards' 3,000/s at peaks.
    const r = twoSplits();
    const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));
    const line = md.split("\n").find((l) => l.startsWith("- SplitShard of shardId-000000000001"))!;
    expect(line).toContain("write throttling stopped when it completed");
    expect(line).not.toContain("so did the offered load");
  });
});

describe("helper-55's counterfactuals of the reshard sentences", () => {
  // 2 shards; 1,500 records/s of 100 B on two hash keys, both in shard 0's half of the key space (1/8 and 3/8 of it).
  const hot = (reshards: unknown[], duration = "4m", rate: Record<string, unknown> = { shape: "constant", value: "1500/s" }, shards = 2, keys = true) => {
    const r = simulateScenario(
      scenarioOf({
        seed: 3,
        duration,
        warmup: "30s",
        stream: { name: "s", shards },
        reshards,
        producers: [
          {
            name: "p",
            client: "sdk",
            instances: 4,
            rate,
            recordSize: { dist: "fixed", size: "100B" },
            ...(keys ? { partitionKey: { kind: "explicit", hashKeys: ["42535295865117307932921825928971026432", "127605887595351923798765477786913079296"], shares: [0.5, 0.5] } } : {}),
          },
        ],
      }),
    );
    return { r, lines: buildReportMarkdown(r, PROVENANCE, verdictOf(r)).split("\n") };
  };

  it("UpdateShardCount 2 → 4 under a load all on shard 0: its children took 1,500/s, over its 1,000/s: no 'so did the offered load'", () => {
    const { lines } = hot([{ at: "1m", kind: "update-shard-count", target: 4 }]);
    const line = lines.find((l) => l.startsWith("- UpdateShardCount to 4"))!;
    expect(line).toContain("write throttling stopped when it completed");
    expect(line).not.toContain("so did the offered load");
  });

  it("a split completing at the end of the run: still throttled at the end, no clause over an empty span", () => {
    const { r, lines } = hot([{ at: "210s", kind: "split", shard: "shardId-000000000000", hashKey: "85070591730234615865843651857942052864" }]);
    expect(r.series.throttledRecords[r.series.throttledRecords.length - 1]).toBeGreaterThan(0);
    const line = lines.find((l) => l.startsWith("- SplitShard of shardId-000000000000"))!;
    expect(line).toContain("writes were still throttled at the end");
    expect(line).not.toContain("so did the offered load");
  });

  it("four splits back to back: the first says when throttling stopped, past the three after it", () => {
    const split = (at: string, shard: number, hashKey: string) => ({ at, kind: "split", shard: `shardId-00000000000${shard}`, hashKey });
    const { r, lines } = hot(
      [
        split("60s", 0, "42535295865117307932921825928971026432"),
        split("90s", 1, "127605887595351923798765477786913079296"),
        split("120s", 2, "212676479325586539664609129644855132160"),
        split("150s", 3, "297747071055821155530452781502797185024"),
      ],
      "4m",
      { shape: "poisson", value: "4800/s" },
      4,
      false,
    );
    // Independently: the last throttled step of the run, and when throttling stopped after it.
    const t = r.series.throttledRecords;
    let last = -1;
    t.forEach((v, i) => {
      if (v > 0) last = i;
    });
    expect(last).toBeGreaterThan(150);
    const stopped = clock(last + 1);
    const line = lines.find((l) => l.startsWith("- SplitShard of shardId-000000000000"))!;
    expect(line).toContain(`writes were still throttled until ${stopped} (3 reshards called back to back after it, done by 0:03:00)`);
  });
});

