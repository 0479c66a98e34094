// A stream whose autoscaling policy scaled up too late: most of its throttling after warmup came before a scale-up
// completed, the throttling of a load that had passed the open shards' capacity while the policy waited for its
// datapoints and the stream for UpdateShardCount (the shard count the policy asked for was enough once in place). The
// cause is the policy's reaction time, not a capacity the policy could not reach (helper-94's p4: "write capacity:
// shard write bytes" for 185 s throttled before a scale-up decided at 9:00 completed at 11:00). Numbers only.

import type { RunResult, StreamRun } from "./runResult.js";

/** A scale-up that throttled writes waited for: when the throttling before it began, when it was decided and done. */
export interface ReactionWindow {
  policy: string;
  /** The first throttled step after the previous scale-up completed (or warmup), µs. */
  throttledFromUs: number;
  decidedAtUs: number;
  /** When UpdateShardCount completed (after the end when it had not: `done` false). */
  doneAtUs: number;
  done: boolean;
  from: number;
  to: number;
  /** The utilisation (%) the policy computed when it decided. */
  utilisationPct: number;
  /** Seconds of the steps with a throttled write in [throttledFromUs, doneAtUs). */
  throttledSeconds: number;
}

export interface ScalingReaction {
  stream: string;
  /** Seconds of the steps after warmup with a throttled write, and those inside the reaction windows. */
  throttledSeconds: number;
  waitingSeconds: number;
  windows: ReactionWindow[];
}

/** The share of the throttled seconds after warmup inside reaction windows from which the policy's reaction is the cause. */
export const REACTION_SHARE = 0.8;

/**
 * The stream's accepted scale-ups (a policy's "ok" events) and the throttled steps after warmup each completed: those
 * after the previous one's completion (or warmup) up to its own. The reaction is the cause when those steps are
 * REACTION_SHARE or more of the throttled steps after warmup; null otherwise, and for a stream without a scale-up.
 */
export function scalingReaction(r: Pick<RunResult, "warmupUs" | "resolutionUs" | "durationUs">, run: StreamRun): ScalingReaction | null {
  const ups = (run.scaling ?? []).filter((e) => e.reason === "scale-up" && e.outcome === "ok");
  if (ups.length === 0) return null;
  const res = r.resolutionUs;
  const thr = run.series.throttledRecords;
  const from = Math.floor(r.warmupUs / res);
  const stepSeconds = res / 1e6;
  let throttled = 0;
  for (let i = from; i < thr.length; i++) if (thr[i]! > 0) throttled++;
  if (throttled === 0) return null;
  const windows: ReactionWindow[] = [];
  let after = r.warmupUs;
  for (const e of ups) {
    const reshard = run.reshards.find((x) => x.by === e.policy && x.calledAtUs === e.atUs);
    const doneAtUs = reshard ? reshard.doneAtUs : e.atUs;
    let first = -1;
    let steps = 0;
    for (let i = Math.max(from, Math.floor(after / res)); i < thr.length && i * res < doneAtUs; i++) {
      if (thr[i]! <= 0) continue;
      if (first < 0) first = i;
      steps++;
    }
    if (first >= 0) {
      windows.push({
        policy: e.policy,
        throttledFromUs: first * res,
        decidedAtUs: e.atUs,
        doneAtUs,
        done: doneAtUs <= r.durationUs,
        from: e.from,
        to: e.to,
        utilisationPct: e.utilisationPct,
        throttledSeconds: steps * stepSeconds,
      });
    }
    after = Math.max(after, doneAtUs);
  }
  const waiting = windows.reduce((n, w) => n + w.throttledSeconds, 0);
  if (windows.length === 0 || waiting < REACTION_SHARE * throttled * stepSeconds) return null;
  return { stream: run.stream.name, throttledSeconds: throttled * stepSeconds, waitingSeconds: waiting, windows };
}
