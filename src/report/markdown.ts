// report.md: what a reviewer reads. The verdict first (SLOs met or not, the binding limit, the hottest shard
// and its peak second), then the tables. Pure function of a RunResult.

import { scalingInputOf, scalingSummary } from "../result/scaling.js";
import { ageEffect } from "../result/faults.js";
import { sum } from "d3-array";
import { hottestFirst } from "../result/hotShards.js";
import { billedBeyondStreams } from "../result/billScope.js";
import { censoredSets, putLatencyCensored, putUnsettled, type StreamVerdict } from "../result/judge.js";
import type { ConsumerResult, FirehoseResult, ReshardResult, RunResult, SinkResult, StreamRun, TraceSummary } from "../result/runResult.js";
import { closedShardsTakeOpenedLoad } from "../result/reshardEffect.js";
import { BURST_SPLIT_SHARE, proposalHot, splitForBursts, type SplitProposal } from "../result/splitProposal.js";
import { addShardsOf, writeRemedy } from "../result/writeRemedy.js";
import { FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD, FIREHOSE_PUT_BATCH_MAX_BYTES, LIMITS_VERSION, ON_DEMAND_LARGE_REGIONS, PUT_RECORDS_MAX_BYTES_2025, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import { DEFAULT_REGION, pollsStream, type ProducerSpec } from "../spec/index.js";
import { SHARDCAST_VERSION } from "./version.js";
import { beyondStreamsParts, monthlyCostCaveat } from "./billScope.js";
import { onDemandShown, reportWarnings, type Provenance } from "./json.js";
import { andList, decimals, formatBytes, clock, formatRate, formatSloValue, formatUsd, formatDuration, monthlyCostBasis, pct, pctNotNothing, thousands } from "./format.js";
import {
  backlogSentence,
  byBurstShard,
  metSoFar,
  soFarWords,
  producerBacklogText,
  costHintSentence,
  DELIVERIES,
  faultSummary,
  lostReasons,
  noDataCell,
  noDataNote,
  OVERDUE,
  priceTableText,
  reshardsYaml,
  sinkDescription,
  sinkSummary,
  sinkWrittenP99,
  heldBackWords,
  splitLines,
  splitSentence,
  transformFailureParts,
  verdictOf,
  warmupSentence,
  writeBurstWords,
  type FirehoseVerdict,
  type Verdict,
  addShardsWords,
  sinkTargetWords,
} from "./verdict.js";

const ALL_SHARDS_UP_TO = 16;

function table(header: string[], rows: (string | number)[][], align?: ("l" | "r")[]): string {
  const al = align ?? header.map((_, i) => (i === 0 ? "l" : "r"));
  const sep = al.map((a) => (a === "r" ? "---:" : ":---"));
  return [header, sep, ...rows.map((r) => r.map(String))].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

const limitText = {
  "shard write records": "shard write records (1,000 records/s per shard)",
  "shard write bytes": "shard write bytes (1 MiB/s per shard, partition keys included)",
} as const;

/**
 * What the accounting's "skipped" is, for the consumers the table holds: a KCL application's new lease owner started at
 * LATEST; a stream processor reads each shard from its own position (its checkpoints), with no lease to start anew, so
 * what it loses past the retention is in "expired unread" (flink-processor's report: a Flink job beside a KCL
 * application; flink-and-lambda's: a Flink job beside Lambda consumers, no KCL application); a Lambda event source
 * mapping skips what lies before the position it begins a shard at (LAMBDA_SKIPPED), its discards counted apart.
 */
function skippedWords(r: RunResult): string {
  const processors = r.consumers.some((c) => c.kind === "flink" || c.kind === "spark");
  const kcl = r.consumers.some((c) => c.kind === "kcl" || c.kind === "fanout");
  const lambda = r.consumers.some((c) => c.kind === "lambda");
  return [
    kcl ? `${processors || lambda ? "a KCL application's " : "a "}new lease owner started at LATEST` : "",
    processors && kcl ? "none for a stream processor, which reads each shard from its own position, kept in its checkpoints" : "",
    processors && !kcl ? "none for a stream processor: it reads each shard from its own position, kept in its checkpoints, so what it loses is what expires before it reads it" : "",
    lambda ? LAMBDA_SKIPPED : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * "Skipped" for a Lambda event source mapping (src/model/lambda/eventSourceMapping.ts startShard): the records before the
 * position it begins reading a shard at. At the run's start that is none, at LATEST or TRIM_HORIZON, the stream being
 * empty; it begins a child shard at its oldest record still held once its parents are read and processed to their end,
 * so what of the child passed the stream's retention meanwhile is skipped. The records it discards have columns of their own.
 */
const LAMBDA_SKIPPED =
  "for a Lambda consumer, the records before the position its event source mapping began a shard at: none at the start of a run, whose stream starts empty, and of a child shard, which it begins at TRIM_HORIZON once its parents are done, those already past the stream's retention then; " +
  "the records it discards are counted apart: failed past MaximumRetryAttempts or older than MaximumRecordAgeInSeconds (to its on-failure destination for either reason, else discarded or skipped by maximum age), or past the retention before it processed them (expired unread)";

/**
 * The records consumers never processed, of those that arrived for them after warmup, by consumer and reason: "consumer
 * scorer never processed 130,541 of the 1,199,197 records that arrived for it (10.89%): 130,541 skipped at LATEST when
 * its leases changed hands with no checkpoint"; null when none lost any.
 */
function consumerLosses(r: RunResult, v: Verdict): string | null {
  const parts = r.consumers.flatMap((c, i) => {
    const l = c.lostAfterWarmup;
    const n = l.expiredUnread + l.skipped + l.discarded + l.skippedByAge;
    if (n <= 0) return [];
    const reasons = [
      l.skipped > 0 ? `${thousands(l.skipped)} skipped at LATEST when its leases changed hands with no checkpoint` : "",
      l.expiredUnread > 0 ? `${thousands(l.expiredUnread)} expired in the stream unread` : "",
      l.discarded > 0 ? `${thousands(l.discarded)} discarded after failing` : "",
      l.skippedByAge > 0 ? `${thousands(l.skippedByAge)} skipped for being older than the maximum record age` : "",
    ].filter(Boolean);
    const share = v.consumers[i]!.lostPercent;
    return [`consumer ${c.name} never processed ${thousands(n)} of the ${thousands(l.accepted)} records that arrived for it (${pctNotNothing(share, 2)}): ${reasons.join(", ")}`];
  });
  return parts.length > 0 ? parts.join("; ") : null;
}

/**
 * The losses no stated SLO judges (Verdict.unjudgedLosses), said beside the verdict: a Lambda consumer discarding 22.71%
 * of its records, a delivery stream whose transformation failed 30% of them, read "all 1 SLOs met" and nothing more.
 * Null with nothing to say.
 */
function unjudgedLosses(v: Verdict): string | null {
  const u = v.unjudgedLosses;
  if (!u) return null;
  const out: string[] = [];
  if (u.consumers.length > 0) {
    out.push(`No SLO judges what consumers lose: ${u.consumers.map((c) => `${c.name} lost ${pct(c.lostPercent, 2)}`).join(", ")} of the records that arrived after warmup (set \`slo.consumerLostPercent\` to judge it).`);
  }
  if (u.firehose.length > 0) {
    out.push(
      `No SLO judges what delivery streams do not deliver: ${u.firehose.map((f) => `${f.name} did not deliver ${pct(f.notDeliveredPercent, 2)}`).join(", ")} of the records that came in after warmup (set \`slo.firehoseNotDeliveredPercent\` to judge it).`,
    );
  }
  return out.length > 0 ? out.join(" ") : null;
}

/**
 * " It holds `key-1` (23.4% of the records of web), …" for the popular keys routed to a shard of `stream`: the producers
 * writing to that stream only (shard ids repeat from stream to stream: helper-60's web, writing to raw, was said to hold
 * a key on enriched's shard of the same id).
 */
function hotKeysOn(r: RunResult, stream: string, shardId: string): string {
  const keys = r.producers
    .filter((p) => p.stream === stream)
    .flatMap((p) => p.topKeys.filter((k) => k.shard === shardId && k.share >= 0.01).map((k) => `\`${k.key}\` (${pct(k.share * 100, 1)} of the records of ${p.name})`));
  return keys.length > 0 ? ` It holds ${keys.slice(0, 3).join(", ")}.` : "";
}

export function buildReportMarkdown(r: RunResult, provenance: Provenance, v: Verdict = verdictOf(r)): string {
  const out: string[] = [];
  const statSeconds = (r.durationUs - r.warmupUs) / 1e6;
  out.push(`# shardcast report: ${r.scenario.name}`, "");
  if (r.scenario.description) out.push(r.scenario.description.trim(), "");
  const overrides = provenance.overrides ?? [];
  const setText = overrides.map((o) => `\`${o}\``).join(", ");
  if (overrides.length > 0) out.push(`_Values set on the command line (\`run --set\`), in force over the scenario file's: ${setText}._`, "");

  // Verdict.
  const missed = v.slos.filter((s) => !s.met);
  if (v.slosMet === null) out.push("**Verdict: no SLOs stated** (add an `slo:` section to get a go/no-go).");
  else if (v.slosMet) {
    // A latency figure that is a lower bound on a growing backlog meets its target so far only (helper-57's fh-tx: "all 2
    // SLOs met" with a delivery p99 of at least 93 s and rising, its transformation unable to keep up).
    // So is a throttling or put-latency SLO met on a shard's write burst that runs out after the end (onWriteBurst).
    const sofar = v.slos.filter((s) => metSoFar(s));
    const bounds = sofar.filter((s) => !s.onWriteBurst && !s.onGrowingBacklog?.ageRise);
    const bursts = sofar.filter((s) => s.onWriteBurst);
    // A max age that rises with a growing backlog: each with its pace and when it reaches its target.
    const rising = sofar.filter((s) => !s.onWriteBurst && s.onGrowingBacklog?.ageRise);
    const why = [
      ...(bounds.length > 0 ? [`${bounds.map((s) => s.description).join(", ")} ${bounds.length === 1 ? "is a lower bound" : "are lower bounds"} on a backlog that grows`] : []),
      ...rising.map((s) => `${s.description} is ${soFarWords(s, true)}`),
      // By shard: the first to run out over every stream, or an end-to-end SLO's own stream's (judge.ts onWriteBurst).
      ...byBurstShard(bursts).map((g) => `${andList(g.map((s) => s.description))} ${g.length === 1 ? "is" : "are"} ${soFarWords(g[0]!, true)}`),
    ];
    out.push(
      sofar.length === 0
        ? `**Verdict: all ${v.slos.length} SLOs met.**`
        : `**Verdict: all ${v.slos.length} SLOs met so far: ${why.join("; ")}, so a longer run may miss ${sofar.length === 1 ? "it" : "them"}.**`,
    );
  }
  else out.push(`**Verdict: ${missed.length} of ${v.slos.length} SLOs missed** (${missed.map((s) => s.description).join(", ")}).`);
  const unjudged = unjudgedLosses(v);
  if (unjudged) out.push("", unjudged);
  out.push("");
  if (!v.streamWritten && r.writers.length === 0) {
    out.push(
      (r.stream.declared ? `- No producer writes to the Kinesis stream ${r.stream.name}` : "- No Kinesis stream") +
        ": every producer writes to a Firehose delivery stream (Direct PUT)" +
        (v.putThrottledPercent > 0 ? `, and ${pct(v.putThrottledPercent, 3)} of those put attempts were throttled by its quotas.` : ", without throttling."),
    );
  } else if (r.streams.length > 1) {
    r.streams.forEach((run, i) => streamBullets(r, run, v.streams[i]!, `**${run.stream.name}**: `, out));
  } else {
    streamBullets(r, r, v, "", out);
  }
  const lost = lostReasons(r);
  const backlog = producerBacklogText(r);
  const putP99Bound = putLatencyCensored(sum(r.producers, putUnsettled), r.putLatency.count, "p99");
  // KPL records waiting for a connection at the end, their attempts started: put latency leaves them out too.
  const awaiting = r.producers.some((p) => (p.connections?.recordsWaitingAtEnd ?? 0) > 0) ? "awaiting retry or a connection" : "awaiting retry";
  // The put latency judged is the producers'; an application writing to a stream has its own (helper-62: "Put latency p99:
  // 94.7 ms" beside a writer at ≥ 23.5 s read as the pipeline's).
  const writersP99 = r.writers.map((w) => `${w.name} ${putCell(w.putLatency.p99, w.awaitingRetry, w.putLatency.count, "p99")}`);
  // Records consumers never processed are lost too, though recordsLostPercent counts only those lost in writing
  // (helper-106: "Records lost: 0%" beside a KCL application that skipped 11% of the records at LATEST).
  const consumersLost = consumerLosses(r, v);
  const lostHead = consumersLost
    ? `- Records lost: ${pct(v.recordsLostPercent, 4)} of those offered after warmup were lost in writing (producers, applications' writers, sinks)${lost ? ` (whole run: ${lost})` : ""}, but ${consumersLost}${backlog ? `; and ${backlog}` : ""}. `
    : `- Records lost: ${pct(v.recordsLostPercent, 4)} of those offered after warmup${lost ? ` (whole run: ${lost})` : ""}${backlog ? `; but ${backlog}` : ""}. `;
  out.push(
    lostHead +
      `${writersP99.length > 0 ? "Producers' put latency p99" : "Put latency p99"}: ${putP99Bound ? `≥ ${formatDuration(r.putLatency.p99)} (of the records acknowledged; those still ${awaiting} at the end are enough to set it)` : formatDuration(r.putLatency.p99)}` +
      `${writersP99.length > 0 ? `; application writers' p99: ${writersP99.join(", ")}` : ""}.`,
  );
  for (const c of v.consumers) out.push(`- ${c.explanation}`);
  for (const f of v.firehose) out.push(`- ${f.explanation}`);
  const warmup = warmupSentence(v.warmup);
  if (warmup) out.push(`- ${warmup}`);
  out.push("");
  const warnings = reportWarnings(r);
  if (warnings.length > 0) {
    out.push("## Warnings", "");
    for (const w of warnings) out.push(`- \`${w.path}\`: ${w.message}`);
    out.push("");
  }

  if (v.slos.length > 0) {
    out.push("## SLOs", "");
    out.push(
      table(
        ["SLO", "target", "actual", "met"],
        v.slos.map((s) => [
          s.of ? `${s.description.replace(/ \(worst [^)]*\)$/, "")} (worst: ${s.of})` : s.description,
          `≤ ${formatSloValue(s.target, s.unit)}`,
          s.noData ? noDataCell(r, s) : `${s.lowerBound ? "≥ " : ""}${formatSloValue(s.actual, s.unit)}`,
          s.met ? (metSoFar(s) ? `yes, so far (${soFarWords(s)})` : "yes") : s.noData ? "**no** (no data)" : "**no**",
        ]),
      ),
      "",
      `Judged on the time after warmup. A value marked ≥ counts records still inside at the end at their age then: a lower bound.${v.slos.some((s) => s.lowerBound && s.name.startsWith("putLatency")) ? ` A put latency marked ≥ counts only the records acknowledged, while those still ${awaiting} at the end are enough to set it: a lower bound too.` : ""}${r.writers.length > 0 && v.slos.some((s) => s.name.startsWith("putLatency")) ? " Put latency is the producers': the applications writing to streams have theirs in Applications writing to streams." : ""}${noDataNote(r, v.slos)}`,
      "",
    );
    const backlog = backlogSentence(r, v);
    if (backlog) out.push(backlog, "");
    const why = v.slos.filter((s) => s.why);
    if (why.length > 0) {
      out.push("Why the missed SLOs were missed:", "");
      for (const s of why) out.push(`- ${s.of ? `${s.description.replace(/ \(worst [^)]*\)$/, "")} (${s.of})` : s.description}: ${s.why}.`);
      out.push("");
    }
  }
  if (r.faults.length > 0) {
    out.push("## Faults", "");
    for (const f of r.faults) out.push(`- ${faultSummary(f, r)}`);
    out.push("");
  }

  hotShardRemedy(r, v, out);
  if (r.streams.length > 1) {
    streamsTable(r, v, out, statSeconds);
    r.streams.forEach((run) => {
      shardsSection(run, out, statSeconds, ` of ${run.stream.name}`);
      reshardsSection(run, statSeconds, out, r.resolutionUs, r.consumers);
      autoscalingSection(r, run, out);
    });
  } else if (r.stream.declared) {
    streamSections(r, v, out, statSeconds);
  }
  if (r.writers.length > 0) writerSection(r, out);

  // Producers.
  out.push("## Producers", "");
  out.push(
    table(
      ["producer", "client", ...(r.streams.length > 1 ? ["stream"] : []), "instances", "keys", "offered", "throttled attempts", "retried", "lost", "put p50", "put p99", "put max"],
      r.producers.map((p) => [
        p.name,
        p.client,
        ...(r.streams.length > 1 ? [p.stream ?? "–"] : []),
        p.instances,
        p.keys,
        thousands(p.offeredAfterWarmup),
        `${thousands(p.throttledAttempts)} (${pct(p.attempts > 0 ? (100 * p.throttledAttempts) / p.attempts : 0, 3)})`,
        thousands(p.retriedRecords),
        thousands(p.lostAfterWarmup),
        putCell(p.putLatency.p50, putUnsettled(p), p.putLatency.count, "p50"),
        putCell(p.putLatency.p99, putUnsettled(p), p.putLatency.count, "p99"),
        putCell(p.putLatency.max, putUnsettled(p), p.putLatency.count, "max"),
      ]),
    ),
    "",
    `Counts after warmup. Put latency runs from a record's first attempt to its acknowledgement, retries included; it counts the records acknowledged, and ≥ marks a figure that the records still ${awaiting} at the end are enough to set (a lower bound: they will take longer than they have waited).` +
      (r.stream.declared ? " A shard's peak second counts every attempt it received, retries included, against its limits." : ""),
    "",
  );
  producerNotes(r, out);
  for (const p of r.producers) {
    if (!p.wrongShard) continue;
    out.push(
      `KPL producer ${p.name}: after a reshard its shard map was stale until a wrong-shard result made it read the map again; ${thousands(p.wrongShard.sentAgain)} user records had gone to another shard than it predicted, and it put them again: ${thousands(p.wrongShard.writtenAgain)} were written twice (whole run; consumers process them twice).`,
      "",
    );
  }

  out.push("## Put latency (all producers)", "");
  const l = r.putLatency;
  out.push(
    table(
      ["records", "mean", "p50", "p90", "p99", "p99.9", "max"],
      [[thousands(l.count), formatDuration(l.mean), formatDuration(l.p50), formatDuration(l.p90), formatDuration(l.p99), formatDuration(l.p999), formatDuration(l.max)]],
    ),
    "",
    "Records acknowledged after warmup.",
    "",
  );

  if (r.consumers.length > 0) consumerSections(r, v, out, statSeconds);
  if (r.sinks.length > 0) sinkSection(r, out, statSeconds);
  if (r.firehose.length > 0) firehoseSections(r, v, out);

  // Accounting.
  const a = r.accounting;
  out.push("## Accounting (whole run)", "");
  // The KPL's own loss reasons get columns when a KPL producer ran (or, defensively, when they are non-zero).
  const kplLoss = r.producers.some((p) => p.client === "kpl") || a.lost.expiredKplTtl + a.lost.failedThrottled > 0;
  out.push(
    table(
      ["offered", "accepted", "in producer buffers", "awaiting retry", "lost: throttled past retries", "lost: too large", ...(kplLoss ? ["lost: KPL RecordTtl expired (kpl-ttl)", "lost: FailIfThrottled"] : []), "balanced"],
      [
        [
          thousands(a.offered),
          thousands(a.accepted),
          thousands(a.inFlight.buffered),
          thousands(a.inFlight.awaitingRetry),
          thousands(a.lost.throttledPastRetries),
          thousands(a.lost.tooLarge),
          ...(kplLoss ? [thousands(a.lost.expiredKplTtl), thousands(a.lost.failedThrottled)] : []),
          a.balanced ? "yes" : "**NO**",
        ],
      ],
    ),
    "",
    "offered = accepted + in flight + lost, for every record.",
    "",
  );

  out.push("## Monthly cost", "");
  out.push(
    table(
      ["item", "USD per month"],
      [...r.cost.items.map((i) => [i.item, formatUsd(i.usd)]), ["**total**", `**${formatUsd(r.cost.total)}**`]],
    ),
    "",
    `${sentenceCase(monthlyCostBasis("the run", r.durationUs - r.warmupUs))}, at the prices of ${priceTableText(r.cost.priceTable)}. ${monthlyCostCaveat(beyondStreamsParts(billedBeyondStreams(r.scenario)))}`,
    "",
  );
  if (r.cost.hints.length > 0) {
    out.push("Where the bill has a cause you can change:", "");
    for (const h of r.cost.hints) out.push(`- ${costHintSentence(h)}`);
    out.push("");
  }

  // Run.
  out.push("## Run", "");
  out.push(
    table(
      ["", ""],
      [
        ["scenario file", `${provenance.scenarioFile} (sha256 ${provenance.scenarioSha256.slice(0, 12)}…)`],
        ...(overrides.length > 0 ? [["set on the command line", setText]] : []),
        ["seed", r.seed],
        ["duration", formatDuration(r.durationUs)],
        ["warmup (excluded from statistics)", formatDuration(r.warmupUs)],
        ["granularity", r.granularity === "batch" ? `batch (producer window ${formatDuration(r.windowUs)})` : "record"],
        ["series resolution", formatDuration(r.resolutionUs)],
        ["events simulated", thousands(r.engine.events)],
        ["shardcast", SHARDCAST_VERSION],
        ["limits", LIMITS_VERSION],
      ],
      ["l", "l"],
    ),
    "",
    `Assumptions: the write limits are enforced as token buckets with a burst of \`stream.writeBurst\` at the limit rate (AWS does not document the algorithm); put request latency follows the scenario's \`latency\` distribution${regionAssumption(r)}.`,
    "",
  );
  return out.join("\n");
}

/**
 * What a trace replay sends, in the run: which of the trace's periods the run replays (those it starts, looped when the
 * trace repeats) with their records and mean size, and how records spread inside a period. A Kinesis Agent reads the
 * trace's records as lines and sends records of linesPerRecord lines, linesPerRecord × sizeFactor times a line's size.
 */
function traceNote(t: TraceSummary, durationUs: number, spec: ProducerSpec | undefined): string {
  const agent = spec?.client === "agent" ? spec.agent : undefined;
  const unit = agent ? "lines" : "records";
  const period = formatDuration(t.periodUs);
  const rp = t.replayed;
  const whole = `${thousands(t.periods)} periods of ${period} (${formatDuration(t.periods * t.periodUs)}, ${thousands(t.records)} ${unit})`;
  const partLast = rp.lastPeriodUs < t.periodUs ? ` (the run ends ${formatDuration(rp.lastPeriodUs)} into the last)` : "";
  const scale = t.scale !== 1 ? ` × ${t.scale}` : "";
  const run = formatDuration(durationUs);
  let what: string;
  if (!t.repeat && rp.periods >= t.periods && rp.lastPeriodUs === t.periodUs) {
    // The whole trace (and, for a longer run, nothing after it).
    what = `all ${whole}${scale}`;
  } else if (rp.periods <= t.periods) {
    what = `${rp.periods === 1 ? "period 1" : `periods 1–${thousands(rp.periods)}`}${partLast} of its ${whole} in the ${run} run: ${thousands(rp.records)} ${unit} in ${rp.periods === 1 ? "that period" : "those periods"}${scale}`;
  } else {
    what = `its ${whole} from its start again each time it ends: the ${run} run covers ${thousands(rp.periods)} periods${partLast}, ${thousands(rp.records)} ${unit} in them${scale}`;
  }
  const item = agent ? "line" : "record";
  const size = t.sizesFromTrace
    ? rp.meanRecordBytes !== null
      ? `${item} sizes from each period's bytes ÷ ${unit} (${formatBytes(rp.meanRecordBytes)} on average in the periods replayed)`
      : `${item} sizes from the trace`
    : `${item} sizes from the scenario's recordSize`;
  let sent = "";
  if (agent && (agent.linesPerRecord !== 1 || agent.sizeFactor !== 1)) {
    const factor = agent.linesPerRecord * agent.sizeFactor;
    const each = t.sizesFromTrace && rp.meanRecordBytes !== null ? ` (${formatBytes(rp.meanRecordBytes * factor)} each on average)` : "";
    sent = `; sent as records of ${agent.linesPerRecord === 1 ? "1 line" : `${thousands(agent.linesPerRecord)} lines`}${agent.sizeFactor !== 1 ? ` converted to ${agent.sizeFactor} × their size` : ""}${each}, ${thousands(agent.linesPerRecord)} × fewer records than lines`;
  }
  const within =
    t.within === "bursty"
      ? `**bursty**: each period's ${unit} arrive in one burst of ${formatDuration(Math.max(1, Math.floor(t.periodUs / t.peakToMean)))} at ${t.peakToMean} × the period's mean rate, at a random point in the period`
      : t.within === "poisson"
        ? "**poisson**: Poisson arrivals at the period's mean rate"
        : "**even**: at the period's mean rate, evenly";
  const traceUs = t.periods * t.periodUs;
  const after = t.repeat
    ? "The trace repeats from its start when it ends."
    : durationUs < traceUs
      ? `The run ends before the trace does: ${rp.periods + 1 < t.periods ? `periods ${thousands(rp.periods + 1)}–${thousands(t.periods)}` : `period ${thousands(t.periods)}`}${rp.lastPeriodUs < t.periodUs ? `, and the rest of period ${thousands(rp.periods)},` : ""} are not in it.`
      : `After the trace's last period the producer sends nothing${durationUs > traceUs ? ` (the last ${formatDuration(durationUs - traceUs)} of the run)` : ""}.`;
  return (
    `${agent ? `(Kinesis Agent) reads ${t.file} as lines` : `replays ${t.file}`}: ${what}, ${size}${sent}. ` +
    `Inside a period the traffic was assumed ${within}; per-period sums do not say how ${unit} bunch up inside a period, and a burstier assumption throttles more. ` +
    after
  );
}

/** Traffic replayed from traces, the KPL's own metrics, and how agents batch: below the producers table. */
function producerNotes(r: RunResult, out: string[]): void {
  for (const p of r.producers) {
    const t = p.trace;
    if (!t) continue;
    out.push(`- **${p.name}** ${traceNote(t, r.durationUs, r.scenario.producers.find((x) => x.name === p.name))}`);
  }
  if (r.producers.some((p) => p.trace)) out.push("");

  const kpl = r.producers.filter((p) => p.client === "kpl");
  if (kpl.length > 0) {
    out.push("### KPL", "");
    const m = (p: (typeof kpl)[number], k: string) => p.clientMetrics[k] ?? 0;
    out.push(
      table(
        [
          "producer",
          "user records per Kinesis record",
          "Kinesis records per PutRecords",
          "mean buffering time",
          "PutRecords that waited for a connection (records' mean wait)",
          "retries per Kinesis record",
          "expired (RecordTtl)",
          "failed on throttling",
          "PUT payload units per user record",
        ],
        kpl.map((p) => [
          p.name,
          +m(p, "userRecordsPerKinesisRecord").toFixed(2),
          +m(p, "kinesisRecordsPerPutRecords").toFixed(1),
          formatDuration(m(p, "meanBufferingTimeMs") * 1_000),
          `${pct(m(p, "putRecordsWaitedPercent"), 1)} (${formatDuration(m(p, "meanConnectionWaitMs") * 1_000)})`,
          +m(p, "retriesPerKinesisRecord").toFixed(4),
          thousands(p.lost.expiredKplTtl),
          thousands(p.lost.failedThrottled),
          +m(p, "payloadUnitsPerUserRecord").toFixed(4),
        ]),
      ),
      "",
      "The KPL's metrics (UserRecordsPerKinesisRecord, KinesisRecordsPerPutRecordsRequest, BufferingTime, RetriesPerRecord, expired user records) after warmup; a PutRecords waits for a connection when its process has MaxConnections in flight, and the wait counts in its Request Time and put latency, not in BufferingTime; expired and failed-on-throttling are whole-run counts of user records lost. Aggregation packs user records into Kinesis records of at most AggregationMaxSize, so the shard's 1,000 records/s limit counts aggregates, not user records.",
      "",
    );
  }

  for (const spec of r.scenario.producers) {
    if (spec.client !== "agent") continue;
    const a = spec.agent;
    // What the model sends (agent.ts agentClient): requests of at most maxBufferSizeBytes and the target's request
    // limit: PutRecords to a stream, PutRecordBatch (4 MiB) to a delivery stream with Direct PUT.
    const firehose = spec.deliveryStream !== undefined;
    const requestMax = firehose ? FIREHOSE_PUT_BATCH_MAX_BYTES : PUT_RECORDS_MAX_BYTES_2025;
    const bytes =
      a.maxBufferSizeBytes > requestMax
        ? `${formatBytes(requestMax)} (${firehose ? "PutRecordBatch" : "PutRecords"}'s limit, below its maxBufferSizeBytes of ${formatBytes(a.maxBufferSizeBytes)})`
        : formatBytes(a.maxBufferSizeBytes);
    out.push(
      `- **${spec.name}** (Kinesis Agent): ${a.linesPerRecord === 1 ? "one line per record" : `${a.linesPerRecord} lines joined into a record`}${a.sizeFactor !== 1 ? `, converted to ${a.sizeFactor} × the size` : ""}; ` +
        `a buffer is sent ${firehose ? `to delivery stream ${spec.deliveryStream} with PutRecordBatch` : "with PutRecords"} at ${thousands(a.maxBufferSizeRecords)} records, ${bytes} or ${formatDuration(a.maxBufferAge)} old; failed records are retried without a limit, backing off from ${formatDuration(a.retryInitialBackoff)} doubling to ${formatDuration(a.retryMaxBackoff)}.`,
    );
  }
  if (r.scenario.producers.some((s) => s.client === "agent")) out.push("");
}

/** A consumer's kind in the consumer table: a KCL application, or a stream processor with its connector and reader. */
const CONSUMER_KIND: Record<ConsumerResult["kind"], (c: ConsumerResult) => string> = {
  kcl: () => "KCL, polling",
  fanout: () => "KCL, enhanced fan-out",
  flink: (c) => `Flink ${c.processor?.connector ?? ""}, ${c.processor?.reader === "efo" ? "enhanced fan-out" : "polling"}`,
  spark: () => "Spark Structured Streaming, polling",
  lambda: (c) => `Lambda, ${c.lambda?.reader === "fanout" ? "enhanced fan-out" : "polling"}`,
};

/** Stream processors: how their shards sit on subtasks, their checkpoints and failed GetRecords retries. */
function processorSection(r: RunResult, out: string[]): void {
  const procs = r.consumers.filter((c) => c.processor !== undefined);
  if (procs.length === 0) return;
  out.push("### Stream processors", "");
  out.push(
    table(
      ["consumer", "engine", "subtasks (cores)", "shards per subtask at the end", "checkpoints", "GetRecords retries exhausted", "micro-batches"],
      procs.map((c) => {
        const p = c.processor!;
        return [
          c.name,
          p.engine === "flink" ? `Flink (${p.connector})` : "Spark on EMR",
          c.workers,
          p.engine === "flink" ? p.shardsPerWorker.join(" / ") : `${p.shardsPerWorker[0] ?? 0} (one task each per micro-batch)`,
          thousands(p.checkpoints),
          thousands(p.retriesExhausted),
          p.microBatches === undefined ? "–" : thousands(p.microBatches),
        ];
      }),
    ),
    "",
    "A stream processor has no lease table: its shards are assigned to subtasks (Flink) or read by one task each per micro-batch (Spark), and the engine checkpoints their positions in its own state (Flink every checkpoint interval, Spark after each micro-batch), with no DynamoDB cost. A subtask processes its shards' batches one at a time, so a subtask with more shards falls behind first. Checkpoints are counted after warmup; when a round of GetRecords retries is exhausted the real job (or task) fails and restarts, which the simulation does not follow (it reads on after the fetch interval).",
    "",
  );
}

function consumerSections(r: RunResult, v: Verdict, out: string[], statSeconds: number): void {
  // A pipeline (several streams, or applications writing to a stream): which stream each reads and writes.
  const pipeline = r.streams.length > 1 || r.consumers.some((c) => c.output !== undefined);
  const lambdas = r.consumers.some((c) => c.lambda);
  out.push("## Consumers", "");
  out.push(
    table(
      ["consumer", "kind", ...(pipeline ? ["reads → writes"] : []), "workers", "processed/s", "end-to-end p50", "p99", "put → processed p50", "max iterator age", "oldest unprocessed, max", "GetRecords throttled", "reprocessed", "bottleneck"],
      r.consumers.map((c, i) => {
        const cv = v.consumers[i]!;
        return [
          c.name,
          CONSUMER_KIND[c.kind](c),
          ...(pipeline ? [c.output ? `${c.stream} → ${c.output}` : c.stream] : []),
          c.lambda ? "–" : c.workers,
          thousands(Math.round(cv.processedPerSecond)),
          endToEndCell(c, "p50"),
          endToEndCell(c, "p99"),
          c.putToProcess.count === 0 ? "none" : formatDuration(c.putToProcess.p50),
          formatDuration(c.maxIteratorAge),
          formatDuration(c.maxOldestUnprocessedAge),
          pollsStream({ kind: c.kind, reader: c.processor?.reader ?? c.lambda?.reader }) ? `${thousands(c.readThrottles)} of ${thousands(c.getRecordsCalls)} (${pct(cv.readThrottledPercent, 1)})` : "–",
          thousands(c.reprocessed),
          cv.bottleneck,
        ];
      }),
    ),
    "",
    "After warmup, except reprocessed (whole run). End-to-end latency runs from a record's birth at the producer to the end of its processing; ≥ marks a percentile set by records still unprocessed at the end, counted at their age then (a lower bound), and none a consumer that processed no record that arrived after warmup. Iterator age is CloudWatch's: for polling, GetRecords.IteratorAgeMilliseconds (the age of the last record a call returned, about 0 when caught up); for fan-out, MillisBehindLatest. Oldest unprocessed is the age of the oldest record the consumer has not processed yet (what a backlog makes records wait)." +
      (pipeline ? " Records written by an application keep the birth time of the records they came from, so latency at a later stage runs from the first producer." : "") +
      (lambdas ? " A Lambda consumer's iterator age is Lambda's IteratorAge: for each batch, the time the invocation got it minus the time its last record was written to the stream." : ""),
    "",
  );
  out.push("### Consumer accounting (whole run)", "");
  out.push(
    table(
      ["consumer", "accepted by the stream", "processed", "still unread", "expired unread", "skipped", ...(lambdas ? ["to on-failure destination: retries exhausted", "to on-failure destination: record age", "discarded", "skipped by maximum age"] : []), "balanced"],
      r.consumers.map((c) => {
        const a = c.accounting;
        const lambda = lambdas ? [a.toDestination, a.toDestinationByAge, a.discarded, a.skippedByAge].map((x) => (x === undefined ? "–" : thousands(x))) : [];
        return [c.name, thousands(a.accepted), thousands(a.processed), thousands(a.unread), thousands(a.expiredUnread), thousands(a.skipped), ...lambda, a.balanced ? "yes" : "**NO**"];
      }),
    ),
    "",
    `accepted = processed + still unread (fetched or not) + expired unread (past retention) + skipped (${skippedWords(r)})` +
      (lambdas
        ? " + sent to the on-failure destination, by reason: retries exhausted (failed past MaximumRetryAttempts) and record age (older than MaximumRecordAgeInSeconds when their batch was tried) — not processed: Lambda sends the destination each discarded batch's details (shard, first and last sequence numbers), not its records, which stay readable in the stream until its retention — + discarded (failed past MaximumRetryAttempts with no destination: lost) + skipped by the maximum record age (older than MaximumRecordAgeInSeconds when a batch was tried, with no destination: lost)."
        : "."),
    "",
  );
  if (lambdas) lambdaSection(r, v, out, statSeconds);
  const apps = r.consumers.filter((c) => c.leases && c.leaseTable);
  if (apps.length > 0) {
    leaseSection(apps, out, statSeconds);
    kclAssignmentSection(r, statSeconds, out);
  }
  processorSection(r, out);
  pollingReads(r, out, statSeconds);
}

/** KCL applications: their lease tables and lease coordination. */
function leaseSection(apps: ConsumerResult[], out: string[], statSeconds: number): void {
  out.push("### Leases and lease tables", "");
  out.push(
    table(
      ["consumer", "lease table", "write units/s used", "read units/s used", "renewals throttled", "checkpoints (throttled)", "takes", "steals", "leases lost", "leases per worker at the end"],
      apps.map((c) => {
        const l = c.leases!;
        const t = c.leaseTable!;
        return [
          c.name,
          leaseTableCapacity(t),
          decimals(t.writeUnits / statSeconds, 2),
          decimals(t.readUnits / statSeconds, 2),
          `${thousands(l.renewalsThrottled)} of ${thousands(l.renewals)}`,
          `${thousands(l.checkpoints)} (${thousands(l.checkpointsThrottled)})`,
          thousands(l.takes),
          thousands(l.steals),
          thousands(l.lost),
          l.perWorkerAtEnd.join(" / "),
        ];
      }),
    ),
    "",
    "After warmup, except the leases per worker (at the end of the run).",
    "",
  );
}

/** The shared polling reads of each stream, all consumers together. */
function pollingReads(r: RunResult, out: string[], statSeconds: number): void {
  const several = r.streams.length > 1;
  for (const { stream, shardReads } of several ? r.streams : [r]) {
    if (shardReads.length === 0) continue;
    const calls = sum(shardReads, (x) => x.getRecordsCalls);
    const throttled = sum(shardReads, (x) => x.throttled);
    const byBytes = sum(shardReads, (x) => x.throttledByBytes);
    const byCalls = sum(shardReads, (x) => x.throttledByCalls);
    const bytes = sum(shardReads, (x) => x.bytes);
    const why = throttled > 0 ? `: ${thousands(byBytes)} while the shard's 2 MiB/s read budget was spent, ${thousands(byCalls)} over its 5 calls/s` : "";
    out.push(
      `Polling reads${several ? ` of ${stream.name}` : ""}, all consumers together: ${thousands(calls)} GetRecords calls (${decimals(calls / statSeconds / stream.shardCount, 2)} per shard per second, limit 5), ` +
        `${thousands(throttled)} throttled (ReadProvisionedThroughputExceeded${why}), ${formatRate(bytes / statSeconds / stream.shardCount, "bytes")} per shard read (limit 2 MiB/s).`,
      "",
    );
  }
}

/** KCL 3.x applications: the leader's assignments, the handoffs, the index and metadata reads and writes, worker utilisation. */
function kclAssignmentSection(r: RunResult, statSeconds: number, out: string[]): void {
  const apps = r.consumers.filter((c) => c.leaseAssignment);
  if (apps.length === 0) return;
  const perSecond = (units: number) => decimals(units / statSeconds, 2);
  const cpu = (x: number | null) => (x === null ? "–" : `${x.toFixed(0)}%`);
  out.push("### KCL 3.x lease assignment", "");
  out.push(
    table(
      [
        "consumer",
        "leader changes",
        "assignment runs (throttled)",
        "leases assigned (new / expired / rebalanced)",
        "rebalanced leases: handed off with a checkpoint / timed out / moved at once (handoff off)",
        "records processed again after the leader's moves (rebalanced / expired)",
        "index queries (throttled; leases found)",
        "index read / write units/s",
        "metadata read / write units/s",
        "worker CPU at the end",
        "mean CPU spread",
      ],
      apps.map((c) => {
        const a = c.leaseAssignment!;
        const meta = a.workerMetricsTable && a.coordinatorStateTable ? `${perSecond(a.workerMetricsTable.readUnits + a.coordinatorStateTable.readUnits)} / ${perSecond(a.workerMetricsTable.writeUnits + a.coordinatorStateTable.writeUnits)}` : "in the lease table";
        return [
          c.name + (a.migration ? ` (migrated from 2.x at ${clock(a.migration.atUs)}${a.migration.flippedAtUs === null ? ", not flipped by the end" : `, flipped at ${clock(a.migration.flippedAtUs)}`})` : ""),
          thousands(a.leaderChanges),
          `${thousands(a.assignmentRuns)} (${thousands(a.assignmentRunsThrottled)})`,
          `${thousands(a.assigned.new)} / ${thousands(a.assigned.expired)} / ${thousands(a.assigned.rebalanced)}`,
          `${thousands(a.handoffs.graceful)} / ${thousands(a.handoffs.withoutCheckpoint)} / ${thousands(a.handoffs.disabled)}`,
          `${thousands(a.reprocessed.rebalanced)} / ${thousands(a.reprocessed.expired)}`,
          `${thousands(a.discovery.queries)} (${thousands(a.discovery.throttled)}; ${thousands(a.discovery.leasesFound)})`,
          `${perSecond(a.leaseOwnerIndex.readUnits)} / ${perSecond(a.leaseOwnerIndex.writeUnits)}`,
          meta,
          a.utilisation.latestByWorker.map(cpu).join(" / "),
          cpu(a.utilisation.meanSpread),
        ];
      }),
    ),
    "",
    `After warmup, except the records processed again (whole run) and the CPU at the end. The leader assigns every ${formatDuration(apps[0]!.leaseAssignment!.assignmentIntervalUs, "rough")}; workers query the lease-owner index for their leases every ${formatDuration(apps[0]!.leaseAssignment!.discovery.intervalUs, "rough")} instead of scanning the table. ` +
      `${handoffWords(apps, new Set(r.sinks.map((sk) => sk.consumer)))} ${reprocessedWords(apps)}Worker CPU is what each worker reported (its processing time over its vCPUs); the spread is the highest less the lowest.`,
    "",
  );
}

/**
 * How the 3.x applications' rebalanced leases change hands, by their graceful handoff setting (and, handed off, whether
 * the application has a sink: `withSink` names those that do): one sentence.
 */
function handoffWords(apps: ConsumerResult[], withSink: ReadonlySet<string>): string {
  const words = (c: ConsumerResult) => {
    const h = c.leaseAssignment!.gracefulHandoff;
    const where = withSink.has(c.name)
      ? "checkpoints at the last record its sink wrote before its new owner starts (what its buffer held, interrupted, the new owner processes again)"
      : "checkpoints before its new owner starts";
    return h.enabled
      ? `a rebalanced lease is handed off gracefully: its old owner finishes its batch and ${where}, or, past the handoff timeout (${formatDuration(h.timeoutUs, "rough")}), lets it go without a checkpoint (a lease of a crashed worker is not handed off)`
      : "graceful lease handoff is off (isGracefulLeaseHandoffEnabled: false): the leader gives a rebalanced lease to its new owner at once, with no checkpoint, and the new owner processes again what the old owner processed after its last checkpoint";
  };
  const all = new Set(apps.map(words));
  const first = [...all][0]!;
  if (all.size === 1) return `${first[0]!.toUpperCase()}${first.slice(1)}.`;
  return apps.map((c) => `For ${c.name}, ${words(c)}.`).join(" ");
}

/** Where the records processed again that the table leaves out came from (nothing when it leaves none out), with a trailing space. */
function reprocessedWords(apps: ConsumerResult[]): string {
  const clauses = apps.flatMap((c) => {
    const a = c.leaseAssignment!.reprocessed;
    if (a.lost + a.other === 0) return [];
    const why = [
      ...(a.lost > 0 ? [`${thousands(a.lost)} after a worker lost its lease (a renewal not written within the failover time) and its next owner started again from the checkpoint`] : []),
      ...(a.other > 0 ? [`${thousands(a.other)} after other lease starts (leases with no previous owner, restarts; before a migration from 2.x, its takes and steals)`] : []),
    ];
    return [`${c.name} processed ${thousands(c.reprocessed)} records again in all, ${why.join(" and ")}`];
  });
  return clauses.length === 0 ? "" : `Records processed again besides those after the leader's moves: ${clauses.join("; ")}. `;
}

/** Lambda consumers: the event source mapping's settings, CloudWatch's Lambda metrics, and what the function can do at most. */
function lambdaSection(r: RunResult, v: Verdict, out: string[], statSeconds: number): void {
  const fns = r.consumers.filter((c) => c.lambda);
  out.push("### Lambda functions", "");
  out.push(
    table(
      ["function", "batch (window)", "concurrent batches per shard", "retries, max age, bisect", "on failure", "invocations/s", "errors", "throttles", "duration p50 / p99 / max", "cold starts", "concurrent executions, max (limit)", "IteratorAge, max", "can process, at most"],
      fns.map((c) => {
        const l = c.lambda!;
        const cv = v.consumers[r.consumers.indexOf(c)]!;
        const retries = l.maximumRetryAttempts < 0 ? "∞" : thousands(l.maximumRetryAttempts);
        const age = l.maximumRecordAgeUs < 0 ? "∞" : formatDuration(l.maximumRecordAgeUs);
        return [
          c.name,
          `${thousands(l.batchSize)} (${formatDuration(l.batchingWindowUs)})${l.tumblingWindowUs > 0 ? `, tumbling ${formatDuration(l.tumblingWindowUs)}` : ""}`,
          l.concurrentBatchesPerShard === l.parallelization ? String(l.parallelization) : `${l.concurrentBatchesPerShard} (factor ${l.parallelization}, fewer keys)`,
          `${retries}, ${age}, ${l.bisectBatchOnFunctionError ? "bisect" : "no bisect"}`,
          l.onFailure ?? "none (lost)",
          decimals(l.invocations / statSeconds, 1),
          `${thousands(l.errors)} (${pct(l.invocations > 0 ? (100 * l.errors) / l.invocations : 0, 1)}${l.timeouts > 0 ? `, ${thousands(l.timeouts)} timed out` : ""})`,
          thousands(l.throttles),
          `${formatDuration(l.duration.p50)} / ${formatDuration(l.duration.p99)} / ${formatDuration(l.duration.max)}`,
          thousands(l.coldStarts),
          `${thousands(l.maxConcurrentExecutions)} (${thousands(l.concurrencyLimit)})`,
          formatDuration(c.maxIteratorAge),
          boundCell(c, cv.processedPerSecond),
        ];
      }),
    ),
    "",
    "After warmup. Errors are function errors and timeouts (each failed invocation, retries included); throttles are invocations the concurrency limit refused, which the mapping tries again. " +
      "\"Can process, at most\" is the batches it can run at once (open shards × concurrent batches per shard, or the function's concurrency limit if lower) × BatchSize ÷ a full batch's mean duration (no cold start" +
      // With a sink, each invocation writes its batch before it returns: the bound counts the write (LambdaResult.fullBatchWriteUs).
      (fns.some((c) => c.lambda!.fullBatchWriteUs > 0) ? "; with a sink, its write included, the sink not throttled" : "") +
      "): a function processing less than it is offered falls behind." +
      // A full batch over the timeout never finishes: the bound counts the batch within it (LambdaResult.laneBatchRecords).
      fns
        .filter((c) => c.lambda!.laneBatchRecords < c.lambda!.batchSize)
        .map((c) => {
          const l = c.lambda!;
          const cut = 1 - l.laneTry.fullInTime;
          const so = cut >= 1 - 1e-9 ? "never finishes" : `has ${pct(100 * cut, 1)} of its tries cut there`;
          // The batch counted, its cut tries counted (laneBatchWithin): with none cut, the best of those within the timeout.
          const best = 1 - l.laneTry.inTime < 0.0005 ? "of those within the timeout the one that processes the most a second" : `of those of at most ${thousands(l.batchSize)} the one that processes the most a second, its tries the timeout cuts counted`;
          const counts = l.laneBatchRecords > 0 ? `batches of ${thousands(l.laneBatchRecords)}, ${best}` : "no batch: none ends within the timeout";
          return ` ${c.name}'s full batch of ${thousands(l.batchSize)} takes longer than its ${formatDuration(l.timeoutUs, "exact")} timeout on average and ${so} (Lambda retries a timed-out batch whole), so its figure counts ${counts}.`;
        })
        .join("") +
      // Tries the timeout cuts now and then (durations, or sink writes, that vary past it): the bound counts them (LambdaResult.laneTry).
      fns
        .filter((c) => c.lambda!.laneBatchRecords >= c.lambda!.batchSize && 1 - c.lambda!.laneTry.inTime >= 0.0005)
        .map((c) => {
          const l = c.lambda!;
          const over = l.bisectBatchOnFunctionError && l.fullBatchComputeUs + l.fullBatchWriteUs > l.timeoutUs;
          const why = over ? `'s full batch takes longer than its ${formatDuration(l.timeoutUs, "exact")} timeout on average` : `'s durations vary past its ${formatDuration(l.timeoutUs, "exact")} timeout`;
          const then = over ? "split in halves tried in turn after the retry delay (BisectBatchOnFunctionError)" : "tried again after the retry delay";
          return ` ${c.name}${why}: ${pct(100 * (1 - l.laneTry.inTime), 1)} of a full batch's tries are cut there and ${then}, so its figure divides by the lane's mean time for each batch it finishes, ${formatDuration(l.laneTry.batchEveryUs, "exact")}, those tries included (by the duration's and the write's distributions, not a count of the run).`;
        })
        .join("") +
      // Blocked shards finish no batch, whatever that mean says (LambdaResult.throughputBoundUnblocked).
      (fns.some((c) => c.lambda!.throughputBoundUnblocked !== null)
        ? " A shard blocked at the end by batches that time out on every try counts 0: its lanes finish no batch while it is blocked, so the figure is what the shards not blocked can process (the verdict says why they are blocked)."
        : ""),
    "",
  );
}

/**
 * The "can process, at most" cell: the function's bound, or with shards blocked by timeouts the bound of the others
 * ("0 records/s, shardId-000000000000 blocked (processed 0/s)"; helper-108: a blocked consumer read 141 records/s).
 */
function boundCell(c: RunResult["consumers"][number], processedPerSecond: number): string {
  const l = c.lambda!;
  const processed = `processed ${thousands(Math.round(processedPerSecond))}/s`;
  const unblocked = l.throughputBoundUnblocked;
  if (unblocked === null) return `${thousands(Math.round(l.throughputBound))} records/s (${processed})`;
  const ids = l.blockedAtEnd;
  const which = ids.length <= 2 ? `${ids.join(", ")} blocked` : `${thousands(ids.length)} shards blocked`;
  return `${thousands(Math.round(unblocked))} records/s, ${which} (${processed})`;
}

/**
 * A lease table's capacity in words: provisioned units, or on-demand with the capacity in force where it mattered
 * ("on-demand: 4,000 WRU/s or 12,000 RRU/s, 6,000 WRU/s or 18,000 RRU/s from 30:00").
 */
export function leaseTableCapacity(t: NonNullable<RunResult["consumers"][number]["leaseTable"]>): string {
  if (t.provisioned) return `provisioned ${t.provisioned.read} RCU / ${t.provisioned.write} WCU`;
  const o = t.onDemand;
  if (!o || !onDemandShown(t)) return "on-demand";
  const units = (u: { write: number; read: number }) => `${thousands(Math.round(u.write))} WRU/s or ${thousands(Math.round(u.read))} RRU/s`;
  return `on-demand: ${units(o.initial)}` + (o.raisedAt === null ? "" : `, ${units(o.highest)} from ${clock(o.raisedAt)}`);
}

const DESTINATION = { s3: "Amazon S3", redshift: "Amazon Redshift (staged in S3, then COPY)", opensearch: "Amazon OpenSearch Service (bulk requests)" } as const;
const GAVE_UP_COLUMN = { s3: "given up", redshift: "skipped to errors/", opensearch: "to the S3 backup" } as const;

function firehoseSections(r: RunResult, v: Verdict, out: string[]): void {
  out.push("## Firehose delivery streams", "");
  out.push(
    "Counts after warmup, except flushes and the accounting (whole run). Delivery latency runs from a record's birth at the producer to its delivery; " +
      "DataFreshness is the age of the oldest record not yet delivered (sampled once a second), as CloudWatch's metric for the destination counts it: for Redshift, DeliveryToS3.DataFreshness, to the intermediate S3 bucket, before COPY. " +
      "Object sizes are a best case: the model fills one buffer per delivery stream up to its hints, but Firehose treats buffering hints as hints and may use other values " +
      "(BufferingHints, Firehose API Reference), and delivers objects smaller than the size hint when it compresses them (the hints apply before compression), " +
      "when the delivery stream scales and buffers in parallel, or when its source is a Kinesis data stream " +
      '(AWS Knowledge Center, "Why does Firehose create multiple small files in Amazon S3?"). ' +
      `Records still inside at the end are on their way, unless overdue — ${OVERDUE} — which count as not delivered.`,
    "",
  );
  r.firehose.forEach((f, i) => firehoseSection(f, v.firehose[i]!, out));
}

/** Records inside a delivery stream at the end: on their way, and those overdue (counted as not delivered when they came in after warmup). */
function insideAtEndText(f: FirehoseResult): string {
  const a = f.accounting;
  const inside = a.inside.transform + a.inside.buffer + a.inside.destination;
  if (inside === 0) return "none";
  return `${thousands(inside)}: ${thousands(inside - a.overdue)} on their way, ${thousands(a.overdue)} overdue`;
}

function firehoseSection(f: FirehoseResult, fv: FirehoseVerdict, out: string[]): void {
  out.push(`### ${f.name}`, "");
  const sr = f.sourceRead;
  const dp = f.directPut;
  const source = sr
    ? `Kinesis stream ${f.source}: GetRecords once a second per shard (${thousands(sr.getRecordsCalls)} calls, ${thousands(sr.throttledCalls)} throttled)`
    : `Direct PUT (quotas ${thousands(dp!.quotas.records)} records/s, ${thousands(dp!.quotas.requests)} requests/s, ${formatRate(dp!.quotas.bytes, "bytes")})`;
  const flushes = f.flushes.size + f.flushes.interval;
  const sharePct = (n: number) => pct(flushes > 0 ? (100 * n) / flushes : 0, 1);
  const binds = fv.binds === null ? "" : `: the ${fv.binds} hint binds`;
  const every = fv.flushEveryUs === null ? "" : `, one every ${formatDuration(fv.flushEveryUs)} after warmup`;
  const o = f.objects;
  const objects =
    o.count === 0
      ? "none after warmup"
      : `${thousands(o.count)}, size p50 ${formatBytes(Math.min(o.bytes.p50, o.bytes.max), "rough")}, p99 ${formatBytes(Math.min(o.bytes.p99, o.bytes.max), "rough")}, max ${formatBytes(o.bytes.max, "rough")}; records p50 ${thousands(Math.min(o.records.p50, o.records.max))}`;
  const rows: (string | number)[][] = [
    ["source", source],
    ["destination", DESTINATION[f.destination]],
    ["buffer hints", `${formatBytes(f.buffer.sizeBytes)} or ${formatDuration(f.buffer.intervalUs)}, whichever comes first`],
    ["incoming", `${formatRate(fv.incomingRecordsPerSecond, "records")}, ${formatRate(fv.incomingBytesPerSecond, "bytes")}`],
    ["delivered", `${formatRate(fv.deliveredRecordsPerSecond, "records")}, ${formatRate(fv.deliveredBytesPerSecond, "bytes")}`],
    ["flushes (whole run)", `${thousands(f.flushes.size)} by size (${sharePct(f.flushes.size)}), ${thousands(f.flushes.interval)} by interval (${sharePct(f.flushes.interval)})${binds}${every}`],
    [DELIVERIES[f.destination], objects],
    ...(f.destination === "redshift" ? [["COPY commands", `${thousands(f.copies.count)}, loading ${thousands(f.copies.objects)} staged objects`]] : []),
    ["delivery latency", f.deliveryLatency.count > 0 ? `p50 ${formatDuration(f.deliveryLatency.p50)}, p99 ${formatDuration(f.deliveryLatency.p99)}, max ${formatDuration(f.deliveryLatency.max)}` : "nothing delivered"],
    ...(f.destination === "redshift"
      ? [
          ["max DataFreshness (DeliveryToS3: to the staging bucket)", formatDuration(f.maxDataFreshness)],
          ["oldest record not yet loaded by COPY, max age", formatDuration(f.maxUndeliveredAge)],
        ]
      : [["max DataFreshness", formatDuration(f.maxDataFreshness)]]),
    ...(f.failedAttempts > 0 ? [["failed delivery attempts (whole run)", thousands(f.failedAttempts)]] : []),
    ...(dp ? [["Direct PUT throttled", `${pct(fv.throttledPercent, 3)} of the put attempts, retries included (${thousands(dp.throttled)} of ${thousands(dp.offered)}; ${thousands(dp.throttledCalls)} of ${thousands(dp.calls)} calls)`]] : []),
    ["not delivered", `${thousands(f.notDelivered)} (${pct(fv.notDeliveredPercent, 3)} of the records in)`],
    ["still inside at the end", insideAtEndText(f)],
  ];
  out.push(table(["", ""], rows, ["l", "l"]), "");

  const t = f.transform;
  if (t) {
    out.push(`#### ${f.name}: Lambda transformation (whole run)`, "");
    out.push(
      table(
        ["invocations", "failed", "retries", "records Ok", "Dropped", "ProcessingFailed", "batches failed past retries (records)", "mean duration", "most running at once"],
        [
          [
            thousands(t.invocations),
            // Why they failed (stop 41: the count alone).
            `${thousands(t.failedInvocations)}${t.failedInvocations > 0 ? ` (${transformFailureParts(t.failedInvocationsBy).join(", ")})` : ""}`,
            thousands(t.retries),
            thousands(t.ok),
            thousands(t.dropped),
            thousands(t.processingFailed),
            `${thousands(t.failedBatches)} (${thousands(t.failedBatchRecords)})`,
            formatDuration(t.meanDurationUs),
            `${thousands(t.maxRunning)} of ${t.concurrencySteps.length > 1 ? "at most " : ""}${thousands(t.concurrency)}`,
          ],
        ],
        Array<"r">(9).fill("r"),
      ),
      "",
      "Records answered Ok go on to the destination buffer; Dropped leave on purpose; ProcessingFailed records, and those of batches that failed every retry, go to the S3 processing-failed/ prefix. " +
        "Invocations beyond the concurrency wait their turn." +
        concurrencyChanges(t.concurrencySteps),
      "",
    );
  }

  // Columns for the stages and ways out this delivery stream has (or that hold records anyway).
  const a = f.accounting;
  const hasTransform = t !== null;
  const parts: { label: string; n: number; show: boolean }[] = [
    { label: "delivered", n: a.delivered, show: true },
    { label: "inside: transformation", n: a.inside.transform, show: hasTransform || a.inside.transform > 0 },
    { label: "inside: buffer", n: a.inside.buffer, show: true },
    { label: "inside: destination", n: a.inside.destination, show: true },
    { label: "dropped by the transformation", n: a.droppedByTransform, show: hasTransform || a.droppedByTransform > 0 },
    { label: "processing-failed", n: a.processingFailed, show: hasTransform || a.processingFailed > 0 },
    { label: GAVE_UP_COLUMN[f.destination], n: a.gaveUp, show: f.destination !== "s3" || a.gaveUp > 0 },
    { label: "expired", n: a.expired, show: f.destination === "s3" || a.expired > 0 },
  ].filter((p) => p.show);
  out.push(`#### ${f.name}: accounting (whole run)`, "");
  out.push(
    table(["in", ...parts.map((p) => p.label), "balanced"], [[thousands(a.in), ...parts.map((p) => thousands(p.n)), a.balanced ? "yes" : "**NO**"]], Array<"r">(parts.length + 2).fill("r")),
    "",
    `in = ${parts.map((p) => p.label).join(" + ")}: ${thousands(a.in)} = ${parts.map((p) => thousands(p.n)).join(" + ")}.`,
    "",
  );
}

/** When a shard of a resharded stream was open: "0:00:00–0:12:00", "from 0:12:00 (child of shardId-…)". */
function shardOpenText(life: NonNullable<StreamRun["shards"][number]["life"]>): string {
  const from = life.openedAt === 0 ? "from the start" : `from ${clock(life.openedAt)}`;
  const to = life.closedAt === null ? "" : ` to ${clock(life.closedAt)}${life.expiredAt !== undefined ? `, expired ${clock(life.expiredAt)}` : ""}`;
  const parents = life.parents.length > 0 ? ` (child of ${life.parents.join(" and ")})` : "";
  return `${from}${to}${parents}`;
}

/** Who the on-demand service's splits for a stream's warm throughput are by (src/model/scaling/onDemand.ts WARM_THROUGHPUT_BY). */
const WARM_THROUGHPUT_BY = "warm throughput";

/** The stream's reshards: what each closed and opened, and when the write throttling stopped after them. */
function reshardsSection(run: Pick<StreamRun, "stream" | "series" | "reshards" | "refusedReshards" | "onDemandCeiling">, statSeconds: number, out: string[], resolutionUs: number, consumers: readonly ConsumerResult[] = []): void {
  const refused = run.refusedReshards ?? [];
  if (run.reshards.length === 0 && refused.length === 0 && !run.onDemandCeiling) return;
  void statSeconds;
  out.push(`## Reshards${run.stream.name ? ` of ${run.stream.name}` : ""}`, "");
  const throttled = run.series.throttledRecords;
  for (const r of run.reshards) {
    const p = r.inProgressAtEnd;
    // What it closes and opens: within the run, or when it completes after it.
    const closes = p ? p.closing : r.closed;
    const opens = p ? p.opening : r.opened.length;
    const what =
      r.kind === "update-shard-count"
        ? `UpdateShardCount to ${opens}`
        : r.kind === "split"
          ? `SplitShard of ${closes[0]}`
          : r.kind === "on-demand-split"
            ? `The on-demand service's split of ${closes.length} shard${closes.length === 1 ? "" : "s"} into ${opens}${r.by === WARM_THROUGHPUT_BY ? " for the stream's warm throughput" : ""}`
            : `MergeShards of ${closes.join(" and ")}`;
    // The last step with throttled writes before the next reshard, if writes were throttled while this one ran. A next
    // reshard called by the time this one completes (a step after it at most) leaves this one's own effect unseen: the
    // span then runs to that next one's completion, so the sentence says whether writes were still throttled after this
    // one completed (helper-54: a split called as the one before completed read "stopped when it completed" while the
    // other hot shard throttled on).
    // The chain goes on while each next one is called by the completion (plus a step) of the one before it (helper-55:
    // four splits back to back read "still throttled until" each next completion while writes throttled to the end).
    const k = run.reshards.indexOf(r);
    let doneUs = r.doneAtUs;
    let j = k + 1;
    while (j < run.reshards.length && run.reshards[j]!.calledAtUs <= doneUs + resolutionUs) doneUs = Math.max(doneUs, run.reshards[j++]!.doneAtUs);
    const next = j < run.reshards.length ? run.reshards[j]!.calledAtUs : throttled.length * resolutionUs;
    const chained = j > k + 1 ? Math.min(doneUs, next) : null;
    let last = -1;
    for (let i = Math.floor(r.calledAtUs / resolutionUs); i < throttled.length && i * resolutionUs < next; i++) if (throttled[i]! > 0) last = i;
    // When throttling stopped: with the reshard's completion (the last throttled step ends within a step of it), before
    // it, or after it.
    const stoppedUs = (last + 1) * resolutionUs;
    const settled =
      last < 0
        ? "no write was throttled from the call on"
        : stoppedUs >= throttled.length * resolutionUs
          ? "writes were still throttled at the end"
        : stoppedUs > r.doneAtUs + resolutionUs
          ? `writes were still throttled until ${clock(stoppedUs)}${chained === null ? "" : ` (${j - k - 1 === 1 ? "a reshard" : `${j - k - 1} reshards`} called back to back after it, done by ${clock(chained)})`}`
          : stoppedUs >= r.doneAtUs - resolutionUs
            ? `write throttling stopped when it completed (last throttled second ${clock(last * resolutionUs)})${fellAsWell(r)}`
            : `write throttling stopped at ${clock(stoppedUs)}, before it completed`;
    // What it did to each consumer of the stream: the oldest unprocessed record's age from the call until it settled.
    const lag = consumers
      .filter((c) => c.stream === run.stream.name)
      .map((c) => {
        const e = ageEffect(c.series.oldestUnprocessedAge, resolutionUs, r.calledAtUs, r.doneAtUs);
        if (!e.visible)
          return `no rise in consumer ${c.name}'s lag (its oldest unprocessed record ${formatDuration(e.beforeUs, "rough")} old before, ${formatDuration(e.lastUs, "rough")} at ${clock(e.lastAtUs)}${e.growing ? ", still growing" : e.lastUs < e.beforeUs ? ", falling" : ""})`;
        const back = e.recoveredAtUs === null ? "not back to it by the end" : e.trendUsPerSecond !== undefined ? `back on the trend it grew at before by ${clock(e.recoveredAtUs)}` : `back to it by ${clock(e.recoveredAtUs)}`;
        return `consumer ${c.name}'s oldest unprocessed record reached ${formatDuration(e.maxUs, "rough")} (${formatDuration(e.beforeUs, "rough")} before), ${back}`;
      });
    const done = p
      ? `still in progress at the end of the run (the stream UPDATING until ${clock(r.doneAtUs)}): it closes ${p.closing.length} shard${p.closing.length === 1 ? "" : "s"} and opens ${p.opening} then, none within the run (${thousands(r.openAfter)} open shard${r.openAfter === 1 ? "" : "s"} at the end)`
      : `the stream UPDATING until ${clock(r.doneAtUs)}; closed ${r.closed.join(", ")}; opened ${r.opened.join(", ")} (${r.openAfter} open shards)`;
    out.push(`- ${what}${r.by === "scenario" || r.by === WARM_THROUGHPUT_BY ? "" : ` (by ${r.by})`}: called at ${clock(r.calledAtUs)}, ${done}; ${settled}${lag.length > 0 ? `; ${lag.join("; ")}` : ""}.`);
  }
  // Calls the service refused (the SplitShard, MergeShards and UpdateShardCount API references' rules): they changed nothing.
  for (const x of refused) {
    const shards = x.shards ?? [];
    const what =
      x.kind === "update-shard-count"
        ? `UpdateShardCount to ${x.target}`
        : x.kind === "split"
          ? `SplitShard of ${shards[0]}`
          : x.kind === "merge"
            ? `MergeShards of ${shards.join(" and ")}`
            : `The on-demand service's split of ${shards.length} shard${shards.length === 1 ? "" : "s"}`;
    out.push(`- ${what}${x.by === "scenario" || x.by === WARM_THROUGHPUT_BY ? "" : ` (by ${x.by})`}: called at ${clock(x.atUs)}, **refused**, so it changed nothing: ${x.message}.`);
  }
  if (run.onDemandCeiling) out.push(`- ${ceilingSentence(run.onDemandCeiling)}`);
  if (run.reshards.length === 0 && refused.length === 0) {
    out.push("");
    return;
  }
  const bill =
    run.stream.modes.length === 1 && run.stream.modes[0]!.mode === "provisioned"
      ? " Shard-hours bill the open shards."
      : run.stream.modes.every((m) => m.mode !== "provisioned")
        ? " On-demand bills no shard-hours: the shards are the service's (the monthly bill below)."
        : " Shard-hours bill the open shards while the stream is provisioned; on-demand bills none (the monthly bill below).";
  out.push("", `A closed shard keeps its records for the retention period and takes no writes; new writes go to the open shards by hash key.${bill}`, "");
}

/**
 * Where the on-demand service's splits stopped at the mode's ceiling: when, the ceiling and whose it is, what the
 * writers offered then and what the service would have held (twice the peak), and that past it no split comes.
 */
function ceilingSentence(c: NonNullable<StreamRun["onDemandCeiling"]>): string {
  const warm = c.by === "warm throughput";
  const whose = warm
    ? `the stream's warm throughput, ${formatRate(c.bytesPerSecond, "bytes")}, needs at 1 MiB/s a shard (above what on-demand's 10 GB/s needs)`
    : `${maximumWords(c)}, ${decimalRate(c.bytesPerSecond)} of writes (${formatRate(c.bytesPerSecond, "bytes")}), needs at 1 MiB/s a shard (${maximumSource(c)})`;
  // A stream holding more than the ceiling (stated, or kept at a switch from provisioned) keeps them: the service adds none.
  const held =
    c.openShards > c.shards
      ? `the stream held ${thousands(c.openShards)} open shards, more than the ${thousands(c.shards)} that ${whose}, and keeps them (AWS keeps a stream's shards at a switch from provisioned and gives on-demand shards no upper limit)`
      : c.openShards < c.shards
        ? // The check that hit the ceiling split up to it: fewer were open then (helper-87: "191 open shards" where 172 were).
          `${thousands(c.shards)} open shards at most, what ${whose}; ${thousands(c.openShards)} were open then, and its splits went up to the ceiling, no further`
        : `${thousands(c.shards)} open shards, what ${whose}`;
  return (
    `**The on-demand service's splits stopped at the mode's ceiling** from ${clock(c.atUs)}: ${held}. ` +
    `Its writers offered ${formatRate(c.offeredBytesPerSecond, "bytes")} (${formatRate(c.offeredRecordsPerSecond, "records")}) then; ` +
    `twice the stream's peak, which the service would hold, is ${formatRate(c.neededBytesPerSecond, "bytes")} (${formatRate(c.neededRecordsPerSecond, "records")}), ${thousands(c.neededShards)} shards at 1 MiB/s and 1,000 records/s a shard. ` +
    `Past the ceiling the service adds no shard: writes above ${formatRate(Math.max(c.shards, c.openShards) * SHARD_WRITE_BYTES_PER_SECOND, "bytes")} or ${formatRate(Math.max(c.shards, c.openShards) * SHARD_WRITE_RECORDS_PER_SECOND, "records")}${c.openShards > c.shards ? ` (its ${thousands(c.openShards)} shards at 1 MiB/s and 1,000 records/s)` : ""} throttle for as long as they last.`
  );
}

/**
 * "; the streams are in us-east-1, …": with an on-demand stream (at any time of the run) and no `region:`, whose
 * maximum write throughput the run took (Kinesis quotas and limits: 10 GB/s in us-east-1, us-west-2 and eu-west-1,
 * 200 MB/s elsewhere unless raised); "" otherwise.
 */
function regionAssumption(r: Pick<RunResult, "scenario" | "streams">): string {
  if (r.scenario.region !== undefined || !r.streams.some((run) => run.stream.modes.some((m) => m.mode !== "provisioned"))) return "";
  return `; the streams are in ${DEFAULT_REGION} (the scenario states no \`region\`), where on-demand scales to 10 GB/s of writes (in Regions other than ${andList([...ON_DEMAND_LARGE_REGIONS])}, 200 MB/s unless a support ticket raises it: Kinesis quotas and limits)`;
}

/** 10,000,000,000 B/s → "10 GB/s", 200,000,000 B/s → "200 MB/s": on-demand's maxima in the quotas page's decimal units. */
function decimalRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e9 ? `${+(bytesPerSecond / 1e9).toPrecision(3)} GB/s` : `${+(bytesPerSecond / 1e6).toPrecision(3)} MB/s`;
}

/** Whose on-demand maximum a ceiling is: the Region's documented one (the Region assumed when the scenario states none), or the raised one it states. */
function maximumWords(c: Pick<NonNullable<StreamRun["onDemandCeiling"]>, "region" | "regionStated" | "raised">): string {
  if (c.raised) return `the raised on-demand maximum the scenario states for ${c.region} (stream.onDemand.maxWriteThroughput)`;
  return `on-demand's documented maximum in ${c.region}${c.regionStated ? "" : " (the scenario states no region: assumed)"}`;
}

/** Where the maxima come from (Kinesis quotas and limits), and how a Region outside the three gets more. */
function maximumSource(c: Pick<NonNullable<StreamRun["onDemandCeiling"]>, "region" | "raised">): string {
  const large = andList([...ON_DEMAND_LARGE_REGIONS]);
  if (c.raised) return `Kinesis quotas and limits: in Regions other than ${large}, 200 MB/s unless a support ticket raises it, up to 10 GB/s`;
  return `Kinesis quotas and limits: 10 GB/s in ${large}, 200 MB/s in other Regions unless a support ticket raises it${ON_DEMAND_LARGE_REGIONS.includes(c.region) ? "" : " up to 10 GB/s (state it in stream.onDemand.maxWriteThroughput)"}`;
}

/**
 * ", but so did the offered load: …" when each shard the reshard closed would have taken what its new shards took in the
 * minute after it, throttling nothing (closedShardsTakeOpenedLoad): the reshard is not shown to be what ended the
 * throttling.
 */
function fellAsWell(r: ReshardResult): string {
  const l = closedShardsTakeOpenedLoad(r);
  if (!l || !l.within) return "";
  const whose = l.closed === 1 ? "its new shards took at most" : `the new shards of each shard it closed took at most`;
  return `, but so did the offered load: in the ${formatDuration(l.spanUs)} after, ${whose} ${formatRate(l.recordsPerSecond, "records")} (${formatRate(l.bytesPerSecond, "bytes")}) together, within the 1,000 records/s and 1 MiB/s one shard takes`;
}

/** The throttled shards' splits: each shard's load by writer and key, the split and its children, or why none helps; the YAML to replay them. */
function hotShardRemedy(r: RunResult, v: Verdict, out: string[]): void {
  const several = r.streams.length > 1;
  const proposals = r.streams.flatMap((run, i) => {
    const sv = v.streams[i];
    return (sv?.hotShardSplits ?? []).map((p) => ({
      p,
      limits: run.stream.limits,
      ctx: {
        streamUtilisation: sv!.streamUtilisation,
        heldBackWriters: sv!.heldBackWriters ?? [],
        peakOffered: run.shards.find((s) => s.id === p.shard)?.peakOffered,
        overShards: writeRemedy(run, sv!).overShards,
        addShards: addShardsOf(run),
      },
    }));
  });
  if (proposals.length === 0) return;
  out.push("## Hot shard remedy", "");
  out.push(
    "For each throttled shard (the hottest, up to 3 a stream): its offered load after warmup by hash key (the writers' keys routed as Kinesis routes them), " +
      "and, for a shard hot for its keys (more than 10% over an even spread's share of the stream's records by key routing, or the stream's only shard), " +
      "the SplitShard hash key that balances it between two children, and whether they would fit a shard's limits (1,000 records/s and 1 MiB/s each)." +
      (proposals.some((x) => x.p.bursts)
        ? ` For a cold shard (further under an even spread's share) that throttled in bursts, its load within those limits at its writers' peak rates, the split that balances it is proposed for its bursts when its busier child would keep at most ${pct(100 * BURST_SPLIT_SHARE, 0)} of its load.`
        : ""),
    "",
  );
  for (const { p, limits, ctx } of proposals) {
    out.push(`### ${p.shard}${several ? ` of ${p.stream}` : ""}`, "", ...splitLines(p, limits, ctx), "");
  }
  const shardName = (p: SplitProposal) => `${p.shard}${several ? ` of ${p.stream}` : ""}`;
  // Shards not hot for their keys get no split (an evenly loaded or cold one: its throttling is not its keys'), but a cold
  // one's for its bursts.
  const notHot = proposals.filter((x) => !proposalHot(x.p) && !splitForBursts(x.p)).map((x) => x.p);
  const yaml = reshardsYaml(proposals.map((x) => x.p), r.warmupUs, several);
  // The throttled shards past the hottest SPLIT_SHARDS of a stream: how many, and how many of them are hot for their keys.
  r.streams.forEach((run, i) => {
    const sv = v.streams[i];
    const ns = sv?.hotShardsNotShown;
    if (!sv || !ns) return;
    out.push(notShownLine(sv.hotShardSplits.length, ns, several ? run.stream.name : null, yaml !== null), "");
  });
  if (yaml) {
    out.push(
      yaml.split("\n").length === 2
        ? "To rehearse the split in this scenario, add (at the end of the warmup here; choose the time to rehearse):"
        : "To rehearse the splits in this scenario, add (the first at the end of the warmup here, each next once the one before has completed: a stream takes one reshard at a time; choose the time to rehearse):",
      "",
      "```yaml",
      yaml,
      "```",
      "",
    );
    if (notHot.length > 0) {
      const one = notHot.length === 1;
      out.push(`It leaves out ${andList(notHot.map(shardName))}, not hot for ${one ? "its" : "their"} keys (above): these splits do not change ${one ? "its" : "their"} load.`, "");
    }
  } else if (notHot.length === proposals.length) {
    // No shard hot for its keys: what to do instead, as each shard's lines say it. Over a shard's limits at no more than
    // about an even share, the stream is short of capacity (shareLine; writeRemedy, which a sweep's reasons read too).
    // How shards come to each stream short of capacity, in its mode at the end (an on-demand stream's are the service's).
    const short = r.streams.filter((run, i) => v.streams[i] && writeRemedy(run, v.streams[i]).shortOfCapacity);
    const how = (run: StreamRun) => addShardsWords(addShardsOf(run), { open: run.stream.openShards.atEnd });
    const names = short.map((run) => run.stream.name);
    const capacity =
      short.length === 0
        ? ""
        : !several
          ? ` The stream as a whole is short of capacity: adding shards to it (${how(short[0]!)}) lowers every shard's load at once.`
          : short.every((run) => how(run) === "update-shard-count")
            ? ` ${short.length === 1 ? "Stream" : "Streams"} ${andList(names)} ${short.length === 1 ? "is" : "are"} short of capacity as a whole: adding shards to ${short.length === 1 ? "it" : "each"} (update-shard-count) lowers every shard's load at once.`
            : ` ${short.map((run) => `Stream ${run.stream.name} is short of capacity as a whole: adding shards to it (${how(run)}) lowers every shard's load at once.`).join(" ")}`;
    out.push(`No split is proposed: no shard here is hot for its keys (above).${capacity}`, "");
  }
}

/**
 * "3 of the 7 throttled shards are shown, the hottest; of the 4 not shown, 3 are hot for their keys too, …": what the
 * Hot shard remedy leaves out of a stream (StreamVerdict.hotShardsNotShown). A split changes only its own shard's range,
 * so the snippet's splits leave the others' loads as they were.
 */
function notShownLine(shown: number, ns: { throttled: number; hotForKeys: number }, stream: string | null, snippet: boolean): string {
  const n = ns.throttled;
  const one = n === 1;
  const of = `${shown} of the ${shown + n} throttled shards${stream !== null ? ` of stream ${stream}` : ""} ${shown === 1 ? "is" : "are"} shown, the hottest`;
  const them = one ? "the one not shown" : `the ${n} not shown`;
  const hot =
    ns.hotForKeys === 0
      ? `${them} ${one ? "is" : "are"} not hot for ${one ? "its" : "their"} keys`
      : ns.hotForKeys === n
        ? `${them} ${one ? "is" : "are"} hot for ${one ? "its" : "their"} keys too, ${one ? "with a split of its own" : "each with a split of its own"} that this section does not work out`
        : `of ${them}, ${ns.hotForKeys} ${ns.hotForKeys === 1 ? "is" : "are"} hot for ${ns.hotForKeys === 1 ? "its" : "their"} keys too, ${ns.hotForKeys === 1 ? "with a split of its own" : "each with a split of its own"} that this section does not work out`;
  const left = snippet ? `; the splits below do not change ${one ? "its" : "their"} load` : "";
  return `${sentenceCase(of)}: ${hot}${left}.`;
}

/** `text` with its first letter a capital (a phrase that starts a sentence). */
function sentenceCase(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "a", "a and b", "a, b and c". */
/** A stream's autoscaling: the policy's scalings, the shard-hours and throttled time, and its misfires. */
function autoscalingSection(r: RunResult, run: StreamRun, out: string[]): void {
  if (!run.scaling) return;
  const s = scalingSummary(scalingInputOf(run, r.consumers, r.resolutionUs, r.durationUs));
  out.push(`## Autoscaling${run.stream.name ? ` of ${run.stream.name}` : ""}`, "");
  const outcomes = (Object.entries(s.byOutcome) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${thousands(n)} ${k}`);
  out.push(
    `${thousands(s.events)} scaling decision${s.events === 1 ? "" : "s"} (${s.scaleUps} up, ${s.scaleDowns} down${outcomes.length > 0 ? `; ${outcomes.join(", ")}` : ""}); ` +
      `open shards from ${s.minShards} to ${s.maxShards}, ${s.shardHours.toFixed(1)} shard-hours over the run; writes throttled in ${thousands(Math.round(s.throttledSeconds))} s of it.`,
    "",
  );
  if (run.scaling.length > 0) {
    out.push(
      table(
        ["time", "policy", "decision", "shards", "utilisation it saw", "answer"],
        run.scaling.slice(0, 40).map((e) => [clock(e.atUs), e.policy, e.reason, `${e.from} → ${e.to}`, pct(e.utilisationPct, 1), e.outcome === "ok" ? "ok" : `**${e.outcome}**${e.fallback ? ` (fallback: ${e.fallback})` : ""}`]),
      ),
      "",
    );
    out.push(`Whole run: every decision the policy made, with the utilisation it computed from the per-minute metrics and UpdateShardCount's answer${run.scaling.length > 40 ? ` (the first 40 of ${thousands(run.scaling.length)})` : ""}.`, "");
  }
  const m = s.misfires;
  const lines = [
    ...m.scaleDownWhileLagging.map((x) => `a scale-down at ${clock(x.event.atUs)} (${x.event.from} → ${x.event.to}) while consumer ${x.consumer}'s oldest unprocessed record was ${formatDuration(x.lagUs, "rough")} old`),
    ...m.blocked.map((x) =>
      x.rule === "10-per-24h"
        ? `a ${x.event.reason} at ${clock(x.event.atUs)} refused (${x.event.outcome}): the stream had taken ${x.okCallsIn24h} UpdateShardCount calls in the previous 24 hours, the most it takes`
        : `a ${x.event.reason} at ${clock(x.event.atUs)} refused (${x.event.outcome})`,
    ),
    ...m.hiddenHotShards.map(
      (x) =>
        `${x.shard} throttled ${thousands(x.throttledRecords)} put attempts in ${thousands(Math.round(x.throttledSeconds))} s from ${clock(x.firstAtUs)} while ${x.policy} saw the stream at most at ${pct(x.maxSeenPct, 1)} (its threshold ${pct(x.scaleUpThresholdPct, 0)}): throttling on one shard that a policy watching the stream's mean cannot see`,
    ),
  ];
  if (lines.length > 0) {
    out.push("Misfires:", "");
    for (const l of lines) out.push(`- ${l}.`);
    out.push("");
  }
}

/**
 * The shards that kept pace only on their write burst (StreamVerdict.writeBurst), after the writes bullet's first
 * sentence: those that ran out, then those still drawing on it at the end ("" when none).
 */
function burstSentences(stream: Pick<StreamRun["stream"], "limits" | "writeBurstSeconds">, sv: Pick<StreamVerdict, "writeBurst">): string {
  return [true, false].map((ranOut) => writeBurstWords(sv.writeBurst, stream.limits, stream.writeBurstSeconds, ranOut)).filter((x) => x !== "").map((x) => ` ${x}`).join("");
}

/** The verdict's bullets on one stream's writes: throttling and the binding limit, the hottest shard, the load. */
function streamBullets(r: RunResult, run: Pick<StreamRun, "stream" | "shards">, sv: Omit<StreamVerdict, "name">, prefix: string, out: string[]): void {
  const hs = sv.hottestShard;
  const hsLife = hs ? run.shards.find((s) => s.id === hs.id)?.life : undefined;
  // Applications' writers held back by the stream's throttling offered what it let through: a lower bound of their demand.
  const held = sv.heldBackWriters ?? [];
  // The hottest shard's: those among its writers when its traffic was taken apart (its split proposal), else the stream's.
  const hsSplit = hs ? sv.hotShardSplits.find((p) => p.shard === hs.id) : undefined;
  const hsHeld = hsSplit ? (hsSplit.heldBack ?? []) : held;
  if (sv.binding.throttling) {
    out.push(
      `- ${prefix}Writes throttled: ${pct(sv.writeThrottledPercent, 3)} of put attempts, on ${thousands(sv.binding.shardsThrottled)} of ${thousands(run.stream.shardCount)} shards${run.stream.shardCount > run.stream.openShards.atEnd ? " (closed parents and their children included)" : ""}. ` +
        `Binding limit: **${limitText[sv.binding.limit]}** (${thousands(sv.binding.throttledByRecords)} attempts throttled by the record limit, ${thousands(sv.binding.throttledByBytes)} by the byte limit).` +
        burstSentences(run.stream, sv),
    );
  } else {
    out.push(`- ${prefix}No write throttling. The limit closest to binding: **${limitText[sv.binding.limit]}**.${burstSentences(run.stream, sv)}`);
  }
  if (hs && hs.peakOffered.at >= 0) {
    out.push(
      (hsLife
        ? `- ${prefix}Hottest shard: **${hs.id}** (${pct(hs.expectedShare * 100)} of the records accepted after warmup; open ${shardOpenText(hsLife)}). `
        : `- ${prefix}Hottest shard: **${hs.id}** (${pct(hs.expectedShare * 100)} of the traffic by key routing; an even spread would be ${pct(100 / run.stream.shardCount)}). `) +
        `Its writers' first attempts offered it ${pct(hs.demand.utilisation * 100, 1)} of its limit after warmup${hsLife ? " (while open)" : ""}, retries not counted again` +
        (hsHeld.length > 0 ? `: a lower bound of their demand, as ${heldBackWords(hsHeld)}. ` : ". ") +
        `Its peak second, at ${clock(hs.peakOffered.at)}, received ${thousands(hs.peakOffered.records)} put attempts and ${formatBytes(hs.peakOffered.bytes)} (retries included): ` +
        `${pct(hs.peakOffered.utilisation * 100, 1)} of its limit.` +
        (hs.throttledRecords > 0 ? ` ${thousands(hs.throttledRecords)} put attempts throttled there.` : "") +
        hotKeysOn(r, run.stream.name, hs.id) +
        (sv.hotShardSplits[0]?.shard === hs.id ? ` ${splitSentence(sv.hotShardSplits[0], run.stream.limits)}.` : ""),
    );
  }
  out.push(
    `- ${prefix}The stream as a whole ran at ${pct(sv.streamUtilisation.records * 100, 1)} of its record capacity and ${pct(sv.streamUtilisation.bytes * 100, 1)} of its byte capacity (mean offered load after warmup)` +
      (held.length > 0 ? `: a lower bound of its writers' demand, as ${heldBackWords(held)}.` : "."),
  );
}

/** A scenario with several streams: one row each, and each stream's writers' accounting. */
function streamsTable(r: RunResult, v: Verdict, out: string[], statSeconds: number): void {
  out.push("## Streams", "");
  out.push(
    table(
      ["stream", "shards", "written by", "incoming records/s", "per shard: min / median / p90 / max", "incoming bytes/s", "throttled attempts", "throttled %", "write burst"],
      r.streams.map((run, i) => {
        const sv = v.streams[i]!;
        const writers = [...r.producers.filter((p) => p.stream === run.stream.name).map((p) => p.name), ...r.writers.filter((w) => w.stream === run.stream.name).map((w) => w.consumer)];
        const spread = sv.perShardRecordsPerSecond;
        return [
          run.stream.name,
          run.stream.shardCount,
          writers.join(", ") || "–",
          thousands(Math.round(sum(run.shards, (s) => s.incomingRecords) / statSeconds)),
          [spread.min, spread.median, spread.p90, spread.max].map((x) => thousands(Math.round(x))).join(" / "),
          formatBytes(sum(run.shards, (s) => s.incomingBytes) / statSeconds),
          thousands(sum(run.shards, (s) => s.throttledRecords)),
          pct(sv.writeThrottledPercent, 3),
          `${run.stream.writeBurstSeconds} s`,
        ];
      }),
    ),
    "",
    "After warmup: rates are means over it; throttled attempts count every attempt refused (retries included).",
    "",
  );
  out.push("### Stream accounting (whole run)", "");
  out.push(
    table(
      ["stream", "offered by its writers", "accepted", "in flight", "lost", "balanced"],
      r.streams.map(({ stream, accounting: a }) => [stream.name, thousands(a.offered), thousands(a.accepted), thousands(a.inFlight), thousands(a.lost), a.balanced ? "yes" : "**NO**"]),
    ),
    "",
    "offered = accepted + in flight + lost, for each stream: its writers are the producers writing to it and the applications writing what they process to it.",
    "",
  );
  if (r.writers.length > 0) {
    // The chain, stage by stage: what each stream took in, and where each of its readers left those records (every
    // record of the stream is in one of a reader's parts: helper-62 had to find 792 records unread by a delivery stream by
    // hand), with how many of an application's processed records it processed again (and so wrote on again) after a
    // lease changed hands: of them, not a part of their own (helper-65).
    // The first part (processed, delivered) always; the others where there are any.
    const parts = (name: string, counts: [number, string][]) => `${name}: ${counts.filter(([n], i) => i === 0 || n > 0).map(([n, what]) => `${thousands(n)} ${what}`).join(", ")}`;
    const stages = r.streams.map(({ stream, accounting: a }) => {
      const readers = r.consumers
        .filter((c) => c.stream === stream.name)
        .map(({ name, accounting: x, reprocessed, writtenAgain, output }) =>
          parts(name, [
            [x.processed, processedWords(reprocessed, writtenAgain, output, sinkTargetWords(r, name))],
            [x.unread, "unread"],
            [x.expiredUnread, "expired unread"],
            [x.skipped, "skipped"],
            [x.toDestination ?? 0, "sent to its on-failure destination past their retries"],
            [x.discarded ?? 0, "discarded"],
            [x.toDestinationByAge ?? 0, "sent to its on-failure destination past its maximum record age"],
            [x.skippedByAge ?? 0, "past its maximum record age"],
          ]),
        );
      const delivered = r.firehose
        .filter((f) => f.source === stream.name)
        .map(({ name, accounting: x, sourceRead }) =>
          parts(name, [
            [x.delivered, "delivered"],
            [x.inside.transform + x.inside.buffer + x.inside.destination, "inside it"],
            [x.droppedByTransform, "dropped by its transformation"],
            [x.processingFailed, "failed processing"],
            [x.gaveUp, "given up"],
            [x.expired, "expired"],
            [sourceRead?.unread ?? 0, "unread"],
            [sourceRead?.expiredUnread ?? 0, "expired unread"],
          ]),
        );
      return `${stream.name} accepted ${thousands(a.accepted)}${[...readers, ...delivered].length > 0 ? ` (${[...readers, ...delivered].join("; ")})` : ""}`;
    });
    out.push(`Pipeline, whole run: ${thousands(r.accounting.offered)} records offered by the producers; ${stages.join(". ")}.`, "");
  }
}

/**
 * An application's processed records in the pipeline's accounting, with those it processed again and the records it
 * wrote twice to its output stream (a crash cut a batch's puts after some were in; the batch, processed again, wrote
 * them again) or its sink (`sink`: taken from a record processor that stopped before a checkpoint covered them, and
 * written again by the lease's next owner): "processed (4 of them again, after a lease changed hands; 8 of the records
 * it wrote to out written twice, a crash having cut their batch's puts)".
 */
function processedWords(reprocessed: number, writtenAgain: number, output: string | undefined, sink: string | null): string {
  const twice = sink
    ? `${thousands(writtenAgain)} of the records it wrote to its ${sink} written twice, a record processor having stopped before a checkpoint covered them`
    : `${thousands(writtenAgain)} of the records it wrote to ${output ?? "its output stream"} written twice, a crash having cut their batch's puts`;
  const notes = [...(reprocessed > 0 ? [`${thousands(reprocessed)} of them again, after a lease changed hands`] : []), ...(writtenAgain > 0 ? [twice] : [])];
  return notes.length > 0 ? `processed (${notes.join("; ")})` : "processed";
}

/** A sink's written p99 in its table: "none" when no record born after warmup was written, "≥" a lower bound. */
function writtenP99Cell(sk: SinkResult): string {
  const p = sinkWrittenP99(sk);
  return p === null ? "none" : `${p.atLeast ? "≥ " : ""}${formatDuration(p.us)}`;
}

/**
 * A sink's buffer in its table: the Connector's limits ("1,000 records, 1 MiB, 30 s"); a Lambda function's sink has
 * none (its limits do not apply: each invocation writes its batch before it returns), so its flush is the batch.
 */
function bufferCell(sk: SinkResult, c: ConsumerResult | undefined): string {
  const b = sk.buffer;
  if (b === null) return c?.lambda ? `none: each invocation's batch (up to ${thousands(c.lambda.batchSize)} records)` : "none";
  return `${thousands(b.records)} records, ${formatBytes(b.bytes)}${b.ageUs === null ? "" : `, ${formatDuration(b.ageUs, "rough")}`}`;
}

/** Applications writing what they process to another stream. */
function sinkSection(r: RunResult, out: string[], statSeconds: number): void {
  out.push("## Consumer sinks", "");
  const writer = (sk: SinkResult) => r.consumers.find((c) => c.name === sk.consumer);
  for (const sk of r.sinks) out.push(`- **${sk.consumer}**: ${sinkSummary(sk, statSeconds, writer(sk))}`);
  out.push("");
  out.push(
    table(
      ["consumer", "sink", "buffer", "written/s", "requests", "throttled items", "capacity used", "processors waiting", "written p99"],
      r.sinks.map((sk) => {
        const a = sk.afterWarmup;
        return [
          sk.consumer,
          sinkDescription(sk),
          bufferCell(sk, writer(sk)),
          thousands(Math.round(a.written / statSeconds)),
          thousands(a.requests),
          thousands(a.throttledItems),
          a.utilisation === null ? "–" : pct(100 * a.utilisation, 1),
          pct(100 * a.waitShare, 1),
          writtenP99Cell(sk),
        ];
      }),
    ),
    "",
    "After warmup. Requests are BatchWriteItem calls (DynamoDB), objects put (S3; staging objects for Redshift) or bulk requests (OpenSearch). Capacity used: write units ÷ the table's capacity, or the share of time a COPY ran or a bulk request was indexed (one at a time: its request latency plus its bytes at the domain's throughput). Processors waiting: the share of the record processors' time spent waiting for their flushes to be written (no next batch, no checkpoint meanwhile). Written p99 runs from a record's birth at the producer to its write to the sink, for records born after warmup (none: none of them was written); ≥ when the records still on their way at the end set it, counted at their age then." +
      (r.sinks.some((sk) => writer(sk)?.lambda) ? " A Lambda function's sink has no buffer: each invocation writes its batch before it returns (a flush of its own), and its processors are the function's lanes (concurrent batches)." : ""),
    "",
  );
  out.push("### Sink accounting (whole run)", "");
  // The Connector's emitter tries an emit (then IEmitter.fail); a Lambda function's handler tries its own writes.
  const byFunction = r.sinks.filter((sk) => writer(sk)?.lambda).length;
  const tries = byFunction === 0 ? "the emitter's tries" : byFunction === r.sinks.length ? "the function's tries" : "the emitter's or the function's tries";
  out.push(
    table(
      ["consumer", "offered", "written", "buffered", "being written", `lost past ${tries}`, "given up or expired at the destination", "interrupted", "balanced"],
      r.sinks.map((sk) => {
        const a = sk.accounting;
        return [sk.consumer, thousands(a.offered), thousands(a.written), thousands(a.buffered), thousands(a.writing), thousands(a.lost.retriesExhausted), thousands(a.lost.gaveUp + a.lost.expired), thousands(a.interrupted), a.balanced ? "yes" : "**NO**"];
      }),
    ),
    "",
    `offered = written + buffered + being written + lost + interrupted. ${interruptedNote(byFunction, r.sinks.length)}${writtenTwiceNote(r)}`,
    "",
  );
}

/**
 * For each KCL application's sink that wrote records twice, how many and why. For each Lambda function's sink that
 * wrote more records than the consumer processed, why: it writes at least once. A
 * batch tried again after its write was cut writes again what the cut write wrote (counted reprocessed), and what a cut
 * write wrote stays in the sink when its batch is then given up (discarded, or sent to the on-failure destination).
 */
function writtenTwiceNote(r: RunResult): string {
  const parts = r.sinks.flatMap((sk) => {
    const c = r.consumers.find((x) => x.name === sk.consumer);
    // A KCL application's: what the sink had taken past a lease's checkpoint when its record processor stopped, which
    // the lease's next owner wrote again (KclState.cutWrite).
    if (c && !c.lambda && c.writtenAgain > 0)
      return [
        `${sk.consumer}'s sink wrote ${thousands(sk.accounting.written)} records to ${thousands(c.accounting.processed)} processed, ${thousands(c.writtenAgain)} of them twice (it had taken them from record processors that stopped before a checkpoint covered them — a crash, a lost lease — and the leases' next owners, processing them again, wrote them again)`,
      ];
    if (!c?.lambda || sk.accounting.written <= c.accounting.processed) return [];
    const again = c.reprocessed > 0 ? `, ${thousands(c.reprocessed)} written again by batches tried again after a cut write` : "";
    const givenUp = c.lambda.writtenThenGivenUp > 0 ? `, ${thousands(c.lambda.writtenThenGivenUp)} written by cut writes of batches then given up` : "";
    return [`${sk.consumer}'s sink wrote ${thousands(sk.accounting.written)} records to ${thousands(c.accounting.processed)} processed (at least once${again}${givenUp})`];
  });
  return parts.length > 0 ? ` ${parts.join("; ")}.` : "";
}

/**
 * What interrupted records are, for the sinks' writers: a KCL record processor's buffered or unwritten records when it
 * stopped, which the lease's next owner processes again; a Lambda function's records its timeout cut from a write, which
 * are written again only if the batch is tried again (retried within MaximumRetryAttempts, or bisected with
 * BisectBatchOnFunctionError: https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html), not when
 * it is discarded (eventSourceMapping.ts failed()).
 */
function interruptedNote(byFunction: number, sinks: number): string {
  const kcl = "Interrupted records were buffered or unwritten when their record processor stopped (a crash, a lost lease): never checkpointed, they are processed and written again by the lease's next owner.";
  const lambda =
    "A Lambda function's interrupted records are those its timeout cut from an invocation's write (what the write sent before stays written): the batch is written again, whole, only if it is tried again (retried, or bisected into halves), not when it is discarded past MaximumRetryAttempts (to its on-failure destination, or lost) or its records are skipped for their age.";
  if (byFunction === 0) return kcl;
  return byFunction === sinks ? lambda : `${kcl} ${lambda}`;
}

/**
 * A put latency percentile in the producers' and writers' tables: "≥" when the records still awaiting retry at the end,
 * which it does not count, are enough to set it (putLatencyCensored); the maximum whenever any record awaits retry.
 */
function putCell(us: number, awaitingRetry: number, acknowledged: number, p: "p50" | "p99" | "max"): string {
  const bound = p === "max" ? awaitingRetry > 0 : putLatencyCensored(awaitingRetry, acknowledged, p);
  return `${bound ? "≥ " : ""}${formatDuration(us)}`;
}

function writerSection(r: RunResult, out: string[]): void {
  out.push("## Applications writing to streams", "");
  out.push(
    table(
      ["application → stream", "keys", "records offered", "accepted", "put attempts throttled", "retried", "awaiting retry", "lost past retries", "interrupted by a crash", "put p99"],
      r.writers.map((w) => [
        w.name,
        w.keys,
        thousands(w.offered),
        thousands(w.accepted),
        `${thousands(w.throttledAttempts)} (${pct(w.attempts > 0 ? (100 * w.throttledAttempts) / w.attempts : 0, 3)})`,
        thousands(w.retriedRecords),
        thousands(w.awaitingRetry),
        thousands(w.lostRetriesExhausted),
        thousands(w.interrupted),
        putCell(w.putLatency.p99, w.awaitingRetry, w.putLatency.count, "p99"),
      ]),
    ),
    "",
    "Whole-run counts except the attempts, throttled and retried (after warmup). A batch counts as processed only when every record it makes is in: while they wait for retries the record processor waits (no next batch, no checkpoint). Put latency runs from the end of processing to the last acknowledgement, retries included (≥: the records awaiting retry at the end are enough to set it, a lower bound). Records of a crashed worker's batch are interrupted, not lost: the lease's next owner processes the batch again. How many attempts a throttled writer makes, and so the share of them throttled, follows its retry settings (`output.retry`: the AWS SDK's 100 ms base and 20 s cap by default; its backoff starts again from the base after an attempt that gets some records in), not the stream alone.",
    "",
  );
}

/** The stream and its shards (left out when the scenario has no stream). */
function streamSections(r: RunResult, v: Verdict, out: string[], statSeconds: number): void {
  // Stream.
  out.push("## Stream", "");
  const inRec = sum(r.shards, (s) => s.incomingRecords);
  const inBytes = sum(r.shards, (s) => s.incomingBytes);
  const thr = sum(r.shards, (s) => s.throttledRecords);
  const spread = v.perShardRecordsPerSecond;
  out.push(
    table(
      ["stream", "shards", "incoming records/s", "per shard: min / median / p90 / max", "incoming bytes/s", "throttled attempts", "throttled %", "write burst"],
      [
        [
          r.stream.name,
          r.stream.openShards.atStart === r.stream.openShards.atEnd && r.stream.shardCount === r.stream.openShards.atEnd ? r.stream.shardCount : `${r.stream.openShards.atStart} → ${r.stream.openShards.atEnd} open`,
          thousands(Math.round(inRec / statSeconds)),
          [spread.min, spread.median, spread.p90, spread.max].map((x) => thousands(Math.round(x))).join(" / "),
          formatBytes(inBytes / statSeconds),
          thousands(thr),
          pct(v.writeThrottledPercent, 3),
          `${r.stream.writeBurstSeconds} s`,
        ],
      ],
    ),
    "",
    "After warmup: rates are means over it; throttled attempts count every attempt refused (retries included), as WriteProvisionedThroughputExceeded does.",
    "",
  );

  shardsSection(r, out, statSeconds, "");
  reshardsSection(r, statSeconds, out, r.resolutionUs, r.consumers);
  if (r.streams[0]) autoscalingSection(r, r.streams[0], out);
}

/**
 * A consumer's end-to-end percentile for its table: "none" when no record arrived after warmup, "≥" when records still
 * unprocessed at the end (in the histogram at their age then) set it, as the SLO table marks it (an empty histogram
 * read "0 s").
 */
function endToEndCell(c: ConsumerResult, p: "p50" | "p99"): string {
  if (c.endToEnd.count === 0) return "none";
  return `${censoredSets(c.censoredAtEnd, c.endToEnd.count, p) ? "≥ " : ""}${formatDuration(c.endToEnd[p])}`;
}

/** A stream's shards: all of them up to 16, else the 10 hottest. */
function shardsSection(run: Pick<StreamRun, "stream" | "shards">, out: string[], statSeconds: number, of: string): void {
  const r = run;
  const resharded = r.shards.some((s) => s.life !== undefined);
  const order = hottestFirst(r.shards);
  const shown = r.stream.shardCount <= ALL_SHARDS_UP_TO ? [...r.shards.keys()] : order.slice(0, 10);
  out.push(r.stream.shardCount <= ALL_SHARDS_UP_TO ? `## Shards${of}` : `## Hottest shards${of} (10 of ${r.stream.shardCount})`, "");
  const hottestNote = r.stream.shardCount <= ALL_SHARDS_UP_TO ? "" : " Hottest first: the shards that throttled, then by offered load.";
  out.push(
    table(
      [...(resharded ? ["shard", "open"] : ["shard"]), "traffic share", "incoming records/s", "offered, of limit", "throttled attempts", "by record limit", "by byte limit", "peak second", "attempts in that second", "of limit"],
      shown.map((i) => {
        const s = r.shards[i]!;
        return [
          s.id,
          ...(resharded && s.life ? [shardOpenText(s.life)] : []),
          pct(s.expectedShare * 100),
          thousands(Math.round(s.incomingRecords / statSeconds)),
          pct(s.demand.utilisation * 100, 1),
          thousands(s.throttledRecords),
          thousands(s.throttledByRecordLimit),
          thousands(s.throttledByByteLimit),
          s.peakOffered.at >= 0 ? clock(s.peakOffered.at) : "–",
          `${thousands(s.peakOffered.records)} rec, ${formatBytes(s.peakOffered.bytes)}`,
          pct(s.peakOffered.utilisation * 100, 1),
        ];
      }),
    ),
    "",
    resharded
      ? "After warmup. Traffic share is the share of the records accepted after warmup that the shard took (the stream resharded, so no one routing holds for the run); offered is the load of its writers' first attempts (a retry does not count again) against its tighter limit, over the time it was open; a peak second counts every attempt the shard received, retries included, against its limits." + hottestNote
      : "After warmup. Traffic share is the share of the keys routed to the shard; offered is the load of its writers' first attempts (a retry does not count again) against its tighter limit; a peak second counts every attempt the shard received, retries included, against its limits." + hottestNote,
    "",
  );
}

/**
 * A transformation's concurrency that changed during the run (it follows the shards it read of the source stream), as a
 * sentence that begins with a space: each limit and when it took over, or the first, least, most and last of many.
 */
function concurrencyChanges(steps: readonly { atUs: number; concurrency: number }[]): string {
  if (steps.length < 2) return "";
  const at = (s: { atUs: number; concurrency: number }) => `${thousands(s.concurrency)} from ${s.atUs === 0 ? "the start" : clock(s.atUs)}`;
  const values = steps.map((s) => s.concurrency);
  const which =
    steps.length <= 4
      ? steps.map(at).join(", ")
      : `${at(steps[0]!)}, between ${thousands(Math.min(...values))} and ${thousands(Math.max(...values))} over ${thousands(steps.length - 1)} changes, ${at(steps[steps.length - 1]!)}`;
  return ` Its concurrency followed the shards it read of the source stream (${FIREHOSE_LAMBDA_CONCURRENCY_PER_SHARD} outstanding invocations per shard; a closed parent counts until read to its end, its children from then): ${which}.`;
}
