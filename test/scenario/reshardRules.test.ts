// The service's resharding rules, checked when the scenario is read: each refused call is an error at its line and
// field, naming the rule (SplitShard, MergeShards, UpdateShardCount, UpdateStreamMode API references).
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError, type Problem } from "../../src/scenario/index.js";

function problems(reshards: string[], stream = "stream: { shards: 4 }"): Problem[] {
  const text = [
    "name: r",
    "duration: 2d",
    stream,
    "producers:",
    "  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
    "reshards:",
    ...reshards.map((r) => `  - ${r}`),
    "",
  ].join("\n");
  try {
    parseScenario(text, "r.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  return [];
}
/** The problems other than "not simulated yet" (which every reshard gets until the simulator runs them). */
const rules = (p: Problem[]) => p.filter((x) => !x.message.includes("not simulated yet")).map((x) => `${x.line}:${x.path}: ${x.message}`);

describe("scheduled reshards follow the service's rules", () => {
  it("accepts a split, then a merge of its two children, when each comes after the previous one finished", () => {
    expect(rules(problems(["{ at: 10m, kind: split, shard: shardId-000000000001 }", "{ at: 20m, kind: merge, shards: [shardId-000000000004, shardId-000000000005] }"]))).toEqual([]);
  });

  it("refuses a call at or after the end of the run, as a fault there is refused (helper-68: accepted without a word, and the report said the stream resharded)", () => {
    expect(rules(problems(["{ at: 2d, kind: split, shard: 1 }", "{ at: 3d, kind: update-shard-count, target: 8 }"]))).toEqual([
      "7:reshards[0].at: the split call happens at or after the end of the run",
      "8:reshards[1].at: the update-shard-count call happens at or after the end of the run",
    ]);
    expect(rules(problems(["{ at: 47h, kind: split, shard: 1 }"]))).toEqual([]);
  });

  it("refuses a split of a shard an earlier split closed", () => {
    expect(rules(problems(["{ at: 10m, kind: split, shard: 1 }", "{ at: 20m, kind: split, shard: shardId-000000000001 }"]))).toEqual([
      "8:reshards[1].shard: shardId-000000000001 is closed (a reshard closed it at 0:10:30): only open shards can be split or merged",
    ]);
  });

  it("refuses an UpdateShardCount target outside half to twice the open shards", () => {
    expect(rules(problems(["{ at: 10m, kind: update-shard-count, target: 9 }"]))).toEqual([
      "7:reshards[0].target: TargetShardCount 9 with 4 open shards: it must be between half and twice the open shards, 2 to 8",
    ]);
  });

  it("refuses a call while the previous reshard still runs (5 minutes for 8 → 13, 2 for 4 → 8, a multiple of 25% of 4)", () => {
    const calls = ["{ at: 10m, kind: update-shard-count, target: 8 }", "{ at: 13m, kind: update-shard-count, target: 13 }", "{ at: 17m, kind: split, shard: 4 }"];
    expect(rules(problems(calls))).toEqual(["9:reshards[2].at: the stream is UPDATING until 0:18:00 (a reshard called at 0:13:00): ResourceInUseException"]);
    expect(rules(problems([calls[0]!, calls[1]!, "{ at: 18m, kind: split, shard: 12 }"]))).toEqual([]);
  });

  it("refuses the 11th UpdateShardCount within 24 hours, and takes one a day after the first", () => {
    const calls = Array.from({ length: 10 }, (_, i) => `{ at: ${10 * (i + 1)}m, kind: update-shard-count, target: ${i % 2 === 0 ? 8 : 4} }`);
    expect(rules(problems([...calls, "{ at: 23h, kind: update-shard-count, target: 8 }"]))).toEqual([
      "17:reshards[10].at: a stream takes at most 10 UpdateShardCount calls per rolling 24 hours (LimitExceededException); the first of the last 10 was at 0:10:00",
    ]);
    expect(rules(problems([...calls, "{ at: 1450m, kind: update-shard-count, target: 8 }"]))).toEqual([]);
  });

  it("refuses a NewStartingHashKey outside the shard, and a merge of shards that do not touch", () => {
    expect(rules(problems(['{ at: 10m, kind: split, shard: 0, hashKey: "0" }', "{ at: 20m, kind: merge, shards: [0, 2] }"]))).toEqual([
      "7:reshards[0].hashKey: NewStartingHashKey 0 must be inside shardId-000000000000's range, from 1 to 85070591730234615865843651857942052863",
      "8:reshards[1].shards: shardId-000000000000 and shardId-000000000002 are not adjacent: their hash key ranges do not touch",
    ]);
  });

  it("keeps split, merge and UpdateShardCount to provisioned streams, and mode switches to two a day", () => {
    const onDemand = rules(problems(["{ at: 10m, kind: split, shard: 0 }"], "stream: { mode: on-demand }"));
    expect(onDemand).toContain("7:reshards[0].kind: split works on a provisioned stream only; the stream is on-demand at that time (the service reshards on-demand streams itself)");
    const switches = rules(problems(["{ at: 1h, kind: switch-mode, mode: on-demand }", "{ at: 2h, kind: switch-mode, mode: provisioned }", "{ at: 3h, kind: switch-mode, mode: on-demand }"]));
    expect(switches).toEqual(["9:reshards[2].at: a stream switches between provisioned and on-demand (UpdateStreamMode) at most 2 times per rolling 24 hours"]);
  });
});

describe("every writer and reader of a stream follows its reshards", () => {
  const problemsOf = (text: string): Problem[] => {
    try {
      parseScenario(text, "r.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return [...e.problems];
      throw e;
    }
    return [];
  };

  it("takes a reshard of a stream that a KPL producer writes and a KCL application reads", () => {
    const text = [
      "name: r",
      "duration: 10m",
      "stream: { shards: 2 }",
      "producers:",
      "  - { name: k, client: kpl, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
      "consumers:",
      "  - { name: app, kind: kcl }",
      "reshards:",
      "  - { at: 1m, kind: split, shard: 0 }",
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([]);
  });

  it("takes a reshard of a stream an application writes on (its writes follow the new map)", () => {
    const text = [
      "name: r",
      "duration: 10m",
      "streams:",
      "  - { name: raw, shards: 2 }",
      "  - { name: enriched, shards: 1 }",
      "producers:",
      "  - { name: web, client: sdk, stream: raw, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
      "consumers:",
      "  - { name: enricher, kind: kcl, stream: raw, output: { stream: enriched } }",
      "reshards:",
      "  - { at: 1m, kind: split, stream: enriched, shard: 0 }",
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([]);
  });
});

// On-demand Advantage is "an account-level mode" whose rates cover every on-demand stream of the account ("Choose the
// right mode to stream in"); a stream's own mode (UpdateStreamMode) is PROVISIONED or ON_DEMAND, and the account turns
// Advantage on with UpdateAccountSettings. A scenario is one account.
describe("On-demand Advantage is the account's mode: its on-demand streams are all Standard or all Advantage", () => {
  const scenario = (modes: [string, string], reshards: string[] = []) =>
    [
      "name: r", //                                                                                              1
      "duration: 2d", //                                                                                         2
      "streams:", //                                                                                             3
      `  - { name: raw, ${modes[0]} }`, //                                                                       4
      `  - { name: enriched, ${modes[1]} }`, //                                                                  5
      "producers:", //                                                                                           6
      "  - { name: p, client: sdk, stream: raw, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }",
      ...(reshards.length > 0 ? ["reshards:", ...reshards.map((r) => `  - ${r}`)] : []), //                      8, 9…
      "",
    ].join("\n");
  const problemsOf = (text: string): string[] => {
    try {
      parseScenario(text, "r.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((x) => `${x.line}:${x.path}: ${x.message}`);
      throw e;
    }
    return [];
  };
  const WHY =
    "On-demand Advantage is an account-level mode, its rates applying to every on-demand stream of the account (UpdateAccountSettings turns it on for the account), so the on-demand streams of a scenario, one account, are all on-demand or all on-demand-advantage (provisioned streams may stay beside either)";

  it("refuses an On-demand Standard stream beside an Advantage one, at the mode of the one that differs from the first (helper-77: billed stream-hours beside the Advantage commitment)", () => {
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand-advantage"]))).toEqual([`5:streams[1].mode: stream "enriched" is on-demand-advantage while "raw" is on-demand: ${WHY}`]);
    expect(problemsOf(scenario(["mode: on-demand-advantage", "mode: on-demand"]))).toEqual([`5:streams[1].mode: stream "enriched" is on-demand while "raw" is on-demand-advantage: ${WHY}`]);
  });

  it("takes one on-demand mode for both, and a provisioned stream beside either", () => {
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"]))).toEqual([]);
    expect(problemsOf(scenario(["mode: on-demand-advantage", "mode: on-demand-advantage"]))).toEqual([]);
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"]))).toEqual([]);
    expect(problemsOf(scenario(["shards: 2", "mode: on-demand-advantage"]))).toEqual([]);
  });

  it("refuses a switch-mode that leaves the on-demand streams in both modes, and takes switching them all at the same instant", () => {
    const one = problemsOf(scenario(["mode: on-demand", "mode: on-demand"], ["{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }"]));
    expect(one).toEqual([
      `9:reshards[0].mode: switching "enriched" to on-demand-advantage leaves the on-demand streams in both modes at that time (on-demand: raw; on-demand-advantage: enriched): ${WHY}; switch them all at the same time, or the others to provisioned`,
    ]);
    const both = ["{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }", "{ at: 1h, kind: switch-mode, stream: raw, mode: on-demand-advantage }"];
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], both))).toEqual([]);
    // A provisioned stream turned on-demand joins an Advantage account as an Advantage stream, or not at all.
    expect(problemsOf(scenario(["mode: on-demand-advantage", "shards: 1"], ["{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }"]))).toEqual([]);
    expect(problemsOf(scenario(["mode: on-demand-advantage", "shards: 1"], ["{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand }"]))).toEqual([
      `9:reshards[0].mode: switching "enriched" to on-demand leaves the on-demand streams in both modes at that time (on-demand: enriched; on-demand-advantage: raw): ${WHY}; switch them all at the same time, or the others to provisioned`,
    ]);
    // The other stream leaving for provisioned first makes room.
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], ["{ at: 1h, kind: switch-mode, stream: raw, mode: provisioned }", "{ at: 2h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }"]))).toEqual([]);
  });

  it("counts only UpdateStreamMode (provisioned ↔ on-demand) against the two switches a day: Standard ↔ Advantage is the account's setting", () => {
    // Four switches in a day, two of them UpdateStreamMode calls: the account's two (Advantage → Standard, from an
    // account in Advantage since before the run, and Standard → Advantage) do not count.
    const account = ["on-demand", "provisioned", "on-demand", "on-demand-advantage"].map((m, i) => `{ at: ${i + 1}h, kind: switch-mode, stream: raw, mode: ${m} }`);
    expect(problemsOf(scenario(["mode: on-demand-advantage", "shards: 1"], account))).toEqual([]);
    // provisioned → on-demand-advantage is UpdateStreamMode (PROVISIONED → ON_DEMAND): it counts, as the third one here.
    const stream = ["on-demand", "provisioned", "on-demand-advantage"].map((m, i) => `{ at: ${i + 1}h, kind: switch-mode, stream: enriched, mode: ${m} }`);
    expect(problemsOf(scenario(["shards: 1", "shards: 1"], stream))).toEqual([
      "11:reshards[2].at: a stream switches between provisioned and on-demand (UpdateStreamMode) at most 2 times per rolling 24 hours",
    ]);
  });

  // MinimumThroughputBillingCommitmentInput API reference
  // (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MinimumThroughputBillingCommitmentInput.html):
  // "Commitments have a minimum duration of 24 hours that must be honored before they can be disabled"; a disable
  // before then "will be scheduled for automatic disable at the earliest allowed end time". The model switched at once.
  const RULE =
    'the account entered On-demand Advantage at 1 h, and its minimum throughput commitment lasts at least 24 hours: a disable before then "will be scheduled for automatic disable at the earliest allowed end time" (MinimumThroughputBillingCommitmentInput API reference)';
  const enterThenLeave = (to: string, at: string) => [`{ at: 1h, kind: switch-mode, stream: raw, mode: on-demand-advantage }`, `{ at: ${at}, kind: switch-mode, stream: raw, mode: ${to} }`];

  it("refuses leaving On-demand Advantage for Standard within 24 hours of entering it (1 h → 2 h, or 24:59:59), naming 25 h; takes 25 h", () => {
    const message = `10:reshards[1].at: ${RULE}; so the account's on-demand streams stay On-demand Advantage until 25 h: switch at 25 h or later`;
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"], enterThenLeave("on-demand", "2h")))).toEqual([message]);
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"], enterThenLeave("on-demand", "89999s")))).toEqual([message]);
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"], enterThenLeave("on-demand", "25h")))).toEqual([]);
  });

  it("refuses the account's last Advantage stream leaving for provisioned within 24 hours (the commitment stays billed); takes 25 h", () => {
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"], enterThenLeave("provisioned", "2h")))).toEqual([
      `10:reshards[1].at: ${RULE}; switching "raw", the account's last On-demand Advantage stream, to provisioned leaves the account's commitment billed until 25 h, which the run's bill (the commitment counted while a stream is On-demand Advantage) would leave out: switch at 25 h or later`,
    ]);
    expect(problemsOf(scenario(["mode: on-demand", "shards: 1"], enterThenLeave("provisioned", "25h")))).toEqual([]);
  });

  it("takes leaving at once when the account was in Advantage from the run's start, or when another stream keeps it in Advantage", () => {
    expect(problemsOf(scenario(["mode: on-demand-advantage", "shards: 1"], ["{ at: 1h, kind: switch-mode, stream: raw, mode: on-demand }"]))).toEqual([]);
    const both = ["{ at: 1h, kind: switch-mode, stream: raw, mode: on-demand-advantage }", "{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }"];
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], [...both, "{ at: 2h, kind: switch-mode, stream: raw, mode: provisioned }"]))).toEqual([]);
    // The other one leaving too within the 24 hours is the account leaving.
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], [...both, "{ at: 2h, kind: switch-mode, stream: raw, mode: provisioned }", "{ at: 3h, kind: switch-mode, stream: enriched, mode: provisioned }"]))).toEqual([
      `12:reshards[3].at: ${RULE}; switching "enriched", the account's last On-demand Advantage stream, to provisioned leaves the account's commitment billed until 25 h, which the run's bill (the commitment counted while a stream is On-demand Advantage) would leave out: switch at 25 h or later`,
    ]);
  });

  it("two streams leaving Advantage together within the 24 hours: the commitment refuses both, with no word of the streams in both modes (helper-90)", () => {
    // Before: the first switch was let through (another stream still held the account in Advantage), and the second
    // refused, so the first message said the switch "leaves the on-demand streams in both modes … switch them all at
    // the same time", which the scenario does.
    const both = ["{ at: 1h, kind: switch-mode, stream: raw, mode: on-demand-advantage }", "{ at: 1h, kind: switch-mode, stream: enriched, mode: on-demand-advantage }"];
    const leave = (at: string) => [`{ at: ${at}, kind: switch-mode, stream: raw, mode: on-demand }`, `{ at: ${at}, kind: switch-mode, stream: enriched, mode: on-demand }`];
    const stay = `${RULE}; so the account's on-demand streams stay On-demand Advantage until 25 h: switch at 25 h or later`;
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], [...both, ...leave("2h")]))).toEqual([`11:reshards[2].at: ${stay}`, `12:reshards[3].at: ${stay}`]);
    expect(problemsOf(scenario(["mode: on-demand", "mode: on-demand"], [...both, ...leave("25h")]))).toEqual([]);
  });
});
