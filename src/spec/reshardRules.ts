// The rules the service enforces on a scenario's scheduled reshards, checked before anything runs: each call is
// replayed in time order on the stream's shard map (src/aws/shardMap.ts), so a split of a shard that a previous
// reshard closed, a target outside half-to-twice the open shards, an 11th UpdateShardCount in 24 hours or a call
// while the previous one still runs is a scenario error that names the rule. Mode rules: split, merge and
// UpdateShardCount only on a provisioned stream (SplitShard API reference: "provisioned mode only"); at most two
// switches between provisioned and on-demand (UpdateStreamMode) per rolling 24 hours; warm throughput only with
// On-demand Advantage; and never the account's on-demand streams in On-demand Standard and Advantage at once.
//
// On-demand Advantage is "an account-level mode" whose rates apply to "all on-demand streams" of the account
// ("Choose the right mode to stream in", https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html):
// the account turns it on and off with UpdateAccountSettings (MinimumThroughputBillingCommitment,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateAccountSettings.html), while a stream's own mode
// is PROVISIONED or ON_DEMAND (UpdateStreamMode, StreamModeDetails,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StreamModeDetails.html). So a scenario, one account,
// cannot hold an On-demand Standard stream beside an On-demand Advantage one; and a switch between on-demand and
// on-demand-advantage is the account's setting, not an UpdateStreamMode call: it does not count against a stream's two
// switches a day, and it switches every on-demand stream of the account (the scenario switches them all at once).
//
// The account's On-demand Advantage is a minimum throughput commitment that lasts at least 24 hours; disabling it sooner
// is "scheduled for automatic disable at the earliest allowed end time" (MinimumThroughputBillingCommitmentInput API
// reference, https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MinimumThroughputBillingCommitmentInput.html).
// So a scenario whose account enters Advantage at a switch-mode and leaves it within 24 hours is refused, naming the
// time it may leave: to On-demand Standard, the account would stay in Advantage until then; its last Advantage stream to
// provisioned would leave the commitment billed until then, which the run's bill (the commitment counted while a
// stream is Advantage) leaves out. An account in Advantage from the run's start is taken to have committed at least 24
// hours before it: it may leave at any time.

import type { z } from "zod";
import { ADVANTAGE_COMMITMENT_MIN_HOURS, MODE_SWITCHES_PER_24H } from "../aws/limits.js";
import { ReshardRefused, ShardMap } from "../aws/shardMap.js";
import type { ReshardSpec } from "./reshards.js";
import type { StreamSpec } from "./stream.js";
import { formatDuration } from "./units.js";

const DAY_US = 24 * 3_600_000_000;

interface Target {
  name: string;
  spec: StreamSpec;
}

/**
 * The account's on-demand streams by mode when some are On-demand Standard and some On-demand Advantage at once (which
 * an account cannot have: Advantage is an account-level mode); undefined when they agree (provisioned streams aside).
 */
export function mixedOnDemandModes(streams: readonly { name: string; mode: StreamSpec["mode"] }[]): { standard: string[]; advantage: string[] } | undefined {
  const standard = streams.filter((s) => s.mode === "on-demand").map((s) => s.name);
  const advantage = streams.filter((s) => s.mode === "on-demand-advantage").map((s) => s.name);
  return standard.length > 0 && advantage.length > 0 ? { standard, advantage } : undefined;
}

/** Why an account's on-demand streams cannot be in both modes, for the messages. */
export const ADVANTAGE_IS_ACCOUNT_WIDE =
  "On-demand Advantage is an account-level mode, its rates applying to every on-demand stream of the account (UpdateAccountSettings turns it on for the account), so the on-demand streams of a scenario, one account, are all on-demand or all on-demand-advantage (provisioned streams may stay beside either)";

/** Whether a switch from `from` to `to` is an UpdateStreamMode call (provisioned ↔ on-demand), not the account's setting. */
export function updatesStreamMode(from: StreamSpec["mode"], to: StreamSpec["mode"]): boolean {
  return (from === "provisioned") !== (to === "provisioned");
}

/** Checks `reshards` against the streams they name; adds an issue at each call the service would refuse. */
export function checkReshards(reshards: readonly ReshardSpec[], streams: readonly Target[], several: boolean, quota: number | undefined, ctx: z.RefinementCtx): void {
  const order = reshards.map((r, i) => ({ r, i })).sort((a, b) => a.r.at - b.r.at || a.i - b.i);
  const state = new Map<string, { map: ShardMap; mode: StreamSpec["mode"]; switches: number[] }>();
  for (const st of streams) state.set(st.name, { map: new ShardMap(st.spec.shards, quota ?? Number.POSITIVE_INFINITY), mode: st.spec.mode, switches: [] });
  const mixed = () => mixedOnDemandModes([...state].map(([name, s]) => ({ name, mode: s.mode })));
  // The switches to an on-demand mode at one instant, and whether the account's on-demand streams were already in both
  // modes before it (then the scenario's streams are refused already): the instant's switches are judged together, so
  // that switching every on-demand stream at once is accepted.
  let instant = { at: -1, mixedBefore: mixed() !== undefined, switches: [] as { i: number; stream: string; mode: StreamSpec["mode"] }[] };
  const endInstant = () => {
    const m = mixed();
    if (m && !instant.mixedBefore) {
      for (const sw of instant.switches) {
        ctx.addIssue({
          code: "custom",
          path: ["reshards", sw.i, "mode"],
          message: `switching "${sw.stream}" to ${sw.mode} leaves the on-demand streams in both modes at that time (on-demand: ${m.standard.join(", ")}; on-demand-advantage: ${m.advantage.join(", ")}): ${ADVANTAGE_IS_ACCOUNT_WIDE}; switch them all at the same time, or the others to provisioned`,
        });
      }
    }
  };
  // The streams each instant switches to a mode other than On-demand Advantage: switched out together, the account's
  // Advantage streams leave it together (helper-90: two streams leaving at one instant within the commitment read "leaves
  // the on-demand streams in both modes" for the first, let through, before the commitment's refusal of the second).
  const leavingAt = new Map<number, Set<string>>();
  for (const r of reshards) {
    if (r.kind !== "switch-mode" || r.mode === "on-demand-advantage") continue;
    const name = r.stream ?? streams[0]?.name;
    if (name === undefined) continue;
    let set = leavingAt.get(r.at);
    if (!set) leavingAt.set(r.at, (set = new Set()));
    set.add(name);
  }
  // When the account entered On-demand Advantage: at a switch-mode in the run, or before it (−∞); null while it is not in it.
  let advantageSince: number | null = [...state.values()].some((s) => s.mode === "on-demand-advantage") ? Number.NEGATIVE_INFINITY : null;
  for (const { r, i } of order) {
    if (r.at !== instant.at) {
      endInstant();
      instant = { at: r.at, mixedBefore: mixed() !== undefined, switches: [] };
    }
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: ["reshards", i, ...path], message });
    if (streams.length === 0) {
      issue(["kind"], "the scenario has no Kinesis stream to reshard");
      continue;
    }
    if (r.stream === undefined && several) {
      issue(["stream"], `the scenario has ${streams.length} streams (${streams.map((s) => s.name).join(", ")}): name the one to reshard with \`stream:\``);
      continue;
    }
    const target = r.stream === undefined ? streams[0]! : streams.find((s) => s.name === r.stream);
    if (!target) {
      issue(["stream"], `no stream named "${r.stream}" (streams: ${streams.map((s) => s.name).join(", ")})`);
      continue;
    }
    const s = state.get(target.name)!;
    const times = target.spec.reshardDuration;
    if (r.kind === "switch-mode") {
      // Only UpdateStreamMode (provisioned ↔ on-demand) counts: on-demand ↔ on-demand-advantage is the account's setting.
      const streamMode = updatesStreamMode(s.mode, r.mode);
      const recent = s.switches.filter((t) => t > r.at - DAY_US);
      // The switch that takes the account's last Advantage stream out of Advantage ends the account's commitment, and so
      // does each of the switches at one instant that take all of them out.
      const leaving = leavingAt.get(r.at);
      const leaves =
        s.mode === "on-demand-advantage" && r.mode !== "on-demand-advantage" && ![...state].some(([name, x]) => name !== target.name && x.mode === "on-demand-advantage" && !leaving?.has(name));
      const committedUntil = advantageSince === null ? Number.NEGATIVE_INFINITY : advantageSince + ADVANTAGE_COMMITMENT_MIN_HOURS * 3_600_000_000;
      if (streamMode && recent.length >= MODE_SWITCHES_PER_24H) {
        issue(["at"], `a stream switches between provisioned and on-demand (UpdateStreamMode) at most ${MODE_SWITCHES_PER_24H} times per rolling 24 hours`);
      } else if (r.mode === s.mode) issue(["mode"], `the stream is already ${r.mode} at that time`);
      else if (leaves && r.at < committedUntil) issue(["at"], leavesAdvantageTooSoon(target.name, r.mode, advantageSince!, committedUntil));
      else {
        if (streamMode) s.switches.push(r.at);
        s.mode = r.mode;
        if (r.mode !== "provisioned") instant.switches.push({ i, stream: target.name, mode: r.mode });
        if (leaves) advantageSince = null;
        else if (advantageSince === null && r.mode === "on-demand-advantage") advantageSince = r.at;
      }
      continue;
    }
    if (r.kind === "warm-throughput") {
      if (s.mode !== "on-demand-advantage") issue(["kind"], `warm throughput (UpdateStreamWarmThroughput) needs On-demand Advantage; the stream is ${s.mode} at that time`);
      continue;
    }
    if (s.mode !== "provisioned") {
      issue(["kind"], `${r.kind} works on a provisioned stream only; the stream is ${s.mode} at that time (the service reshards on-demand streams itself)`);
      continue;
    }
    try {
      if (r.kind === "split") s.map.split(r.shard, r.hashKey === undefined ? undefined : BigInt(r.hashKey), r.at, times.splitMerge);
      else if (r.kind === "merge") s.map.merge(r.shards[0], r.shards[1], r.at, times.splitMerge);
      else {
        s.map.complete(r.at);
        s.map.updateShardCount(r.target, r.at, uniformScalingDuration(times, s.map.open().length, r.target));
      }
    } catch (e) {
      if (!(e instanceof ReshardRefused)) throw e;
      const field = e.rule === "hash-key" ? "hashKey" : e.rule === "target" || e.rule === "quota" ? (r.kind === "update-shard-count" ? "target" : "kind") : e.rule === "in-use" || e.rule === "limit-exceeded" ? "at" : r.kind === "merge" ? "shards" : "shard";
      issue([field], e.message);
    }
  }
  endInstant();
}

/**
 * Why the account cannot leave On-demand Advantage yet: it entered at `since` (µs), and its minimum throughput
 * commitment holds until `until`, 24 hours later.
 */
function leavesAdvantageTooSoon(stream: string, to: StreamSpec["mode"], since: number, until: number): string {
  const rule =
    `the account entered On-demand Advantage at ${formatDuration(since)}, and its minimum throughput commitment lasts at least ${ADVANTAGE_COMMITMENT_MIN_HOURS} hours: ` +
    `a disable before then "will be scheduled for automatic disable at the earliest allowed end time" (MinimumThroughputBillingCommitmentInput API reference)`;
  const what =
    to === "provisioned"
      ? `switching "${stream}", the account's last On-demand Advantage stream, to provisioned leaves the account's commitment billed until ${formatDuration(until)}, which the run's bill (the commitment counted while a stream is On-demand Advantage) would leave out`
      : `so the account's on-demand streams stay On-demand Advantage until ${formatDuration(until)}`;
  return `${rule}; ${what}: switch at ${formatDuration(until)} or later`;
}

/** Whether an UpdateShardCount target is a multiple of 25% of the open shards (such targets finish faster). */
export function isQuarterTarget(open: number, target: number): boolean {
  return (4 * target) % open === 0;
}

/** How long an UpdateShardCount from `open` shards to `target` keeps the stream UPDATING (stream.reshardDuration). */
export function uniformScalingDuration(times: StreamSpec["reshardDuration"], open: number, target: number): number {
  return isQuarterTarget(open, target) ? times.uniformScalingQuarter : times.uniformScaling;
}
