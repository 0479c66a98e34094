// What the command line prints after a run: the verdict, the write figures, each consumer and each delivery
// stream in a line. (The command line adds what it wrote and how long it took.)

import type { RunResult } from "../result/runResult.js";
import { censoredSets } from "../result/judge.js";
import { clock, pctNotNothing } from "./format.js";
import { byBurstShard, FAULT_WORDS, lostReasons, metSoFar, soFarWords, type ConsumerVerdict, type Verdict } from "./verdict.js";

/** A consumer's verdict in a few words: its bottleneck, or that it keeps up (or was behind only after a fault of its own, or keeps up on its sink's burst credit). */
function consumerWords(c: ConsumerVerdict): string {
  // Records it never processed (skipped, expired, discarded), of those that arrived after warmup: a consumer that
  // skipped 10.89% of them at LATEST is not "held back" by them (helper-106).
  const lost = c.lostPercent > 0 ? `; ${pctNotNothing(c.lostPercent, 2)} of the records that arrived for it never processed` : "";
  if (c.bottleneck === "skipped records") return `skipped records (new lease owners started at LATEST)${lost}`;
  if (c.onBurstCredit) return `keeps up only on its sink's burst credit${lost}`;
  if (c.bottleneck !== "none") return `held back by ${c.bottleneck}${lost}`;
  return (c.behindAfter ? `no steady bottleneck (behind after the ${FAULT_WORDS[c.behindAfter.kind]} at ${clock(c.behindAfter.atUs)})` : "keeps up") + lost;
}

/** The shards that kept pace only on their write burst (Verdict.writeBurst), in a few words: when the first ran out, or runs out. */
function burstWords(v: Verdict): string {
  const d = v.writeBurst ?? [];
  const out = d.filter((x) => x.ranOutAtUs !== null);
  const n = (k: number) => `${k} shard${k === 1 ? "" : "s"}`;
  if (out.length > 0) return ` (write burst ran out on ${n(out.length)}, ${out[0]!.shard} first, at ${clock(out[0]!.ranOutAtUs!)})`;
  if (d.length > 0) return ` (${n(d.length)} keeping pace only on the write burst, ${d[0]!.shard} running out at ${clock(d[0]!.lastsUntilUs!)}, after the end)`;
  return "";
}

export function runSummary(r: RunResult, v: Verdict): string {
  const sofar = v.slos.filter((s) => metSoFar(s));
  const bounds = sofar.filter((s) => !s.onWriteBurst && !s.onGrowingBacklog?.ageRise).map((s) => s.name);
  const bursts = sofar.filter((s) => s.onWriteBurst);
  const rising = sofar.filter((s) => !s.onWriteBurst && s.onGrowingBacklog?.ageRise).map((s) => `${s.name}: ${soFarWords(s)}`);
  const why = [...(bounds.length > 0 ? [`${bounds.join(", ")}: a lower bound on a growing backlog`] : []), ...rising, ...byBurstShard(bursts).map((g) => `${g.map((s) => s.name).join(", ")}: ${soFarWords(g[0]!)}`)];
  const met = sofar.length === 0 ? "all SLOs met" : `all SLOs met so far (${why.join("; ")})`;
  const verdict = v.slosMet === null ? "no SLOs stated" : v.slosMet ? met : `SLOs missed: ${v.slos.filter((s) => !s.met).map((s) => s.name).join(", ")}`;
  return (
    `${r.scenario.name}: ${verdict}; ` +
    (v.streamWritten
      ? `write throttled ${v.writeThrottledPercent.toFixed(3)}%, put p99 ${(r.putLatency.p99 / 1000).toFixed(1)} ms, ${v.binding.throttling ? "binding" : "nearest"} write limit: ${v.binding.limit}${burstWords(v)}\n`
      : `Direct PUT only: put attempts throttled ${v.putThrottledPercent.toFixed(3)}%, put p99 ${(r.putLatency.p99 / 1000).toFixed(1)} ms\n`) +
    (v.recordsLostPercent > 0 ? `  records lost: ${v.recordsLostPercent.toFixed(3)}% after warmup (whole run: ${lostReasons(r) ?? "none"})\n` : "") +
    v.consumers.map((c) => `  consumer ${c.name}: ${consumerWords(c)}\n`).join("") +
    // "≥" where the records still inside at the end set the p99 (censoredSets), as report.md marks it (helper-60).
    r.firehose
      .map((f, i) => {
        const atLeast = censoredSets(f.atEnd.censored + f.atEnd.unread, f.deliveryLatency.count, "p99") ? "≥ " : "";
        return `  delivery stream ${f.name}: delivery p99 ${atLeast}${(f.deliveryLatency.p99 / 1e6).toFixed(1)} s, ${v.firehose[i]!.notDeliveredPercent.toFixed(3)}% not delivered\n`;
      })
      .join("")
  );
}
