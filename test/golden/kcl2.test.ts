// `kcl.version: 2` reproduces the KCL 2.x model exactly as it was before KCL 3.x came in (issue 16): three samples
// with KCL consumers (polling and fan-out; a throttled provisioned lease table losing leases; a reshard's child
// leases), every consumer pinned to version 2, give the numbers of the report.json committed for them at 64ec1f4 —
// the last commit before KCL 3.x — apart from what pinning the version changes by itself: the echoed scenario (its
// consumers' `kcl` settings), the scenario file's hash and the report schema's version. What is compared is the
// model's output, not its wording: the sentences (each `why`, `explanation` and `summary`) are left out on both
// sides, so a verdict worded better later moves nothing here (the golden test pins the words), and so are the fields
// report.json gained since (schema 4: a missed put-throttling SLO's cause's attempts, each consumer's fallingBehind,
// reads, fetch and catchUp; schema 11: each consumer's and each fault's writtenAgainRecords), the PUT payload units hint's saving and units per record (estimates re-made since) and a missed latency
// SLO's stage means (its tail re-defined since), and what schema 7 re-defined (the hottest shards' ranking,
// a consumer's lostPercent: withoutSchema7). Latency figures are compared up to their maximum, as they are read
// since (withPercentilesUpToMax), and the consumerLostPercent SLO's label re-worded since is read in its old words
// (withConsumerLostLabelOf64ec1f4). Every other number and label is compared. The references are the
// SHA-256 of `JSON.stringify` of those committed reports (`git show 64ec1f4:reports/<name>/report.json`) with `schema`,
// `provenance.scenarioSha256`, those numbers and the sentences deleted.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderSample } from "./samples.js";

const root = join(import.meta.dirname, "..", "..");

const BEFORE_KCL3: Record<string, string> = {
  "fanout-vs-polling": "23bac757bbedc0e04c3c063898c3d6eecdae9c5e8f39702bc53d23b6913d9791",
  "lease-table-throttling": "99b6bb2b43cc411c40c88d06f52198cd6fe1d183172bf8644bf27ea479cd07d9",
  "reshard-hot-shard": "7fc8e4f832422e41a36c97ba5a8a8736ad444f110910c6670350e783da2dee6e",
};
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The keys whose string values are sentences written from the numbers beside them. */
const PROSE = new Set(["why", "explanation", "summary"]);

/** `value` with every sentence (a PROSE key's string) deleted, at any depth; changes and returns it. */
export function withoutProse<T>(value: T): T {
  if (Array.isArray(value)) for (const v of value) withoutProse(v);
  else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (PROSE.has(k) && typeof o[k] === "string") delete o[k];
      else withoutProse(o[k]);
    }
  }
  return value;
}

/**
 * `report` without the numbers whose definition changed since, not the model's output (helper-41): the PUT payload
 * units hint's saving (an estimate of the KPL's aggregation that later took its RecordMaxBufferedTime into account) and
 * units per record, and a missed latency SLO's stage means. Deleted on both sides.
 */
export function withoutReMadeEstimates<T>(report: T): T {
  // And its units per record, of the records accepted since stop 40 (of those offered before: below 1 with any lost).
  const hints = (report as { monthlyCost?: { hints?: { kind: string; savingUsd?: number; unitsPerRecord?: number }[] } }).monthlyCost?.hints ?? [];
  for (const h of hints) {
    if (h.kind !== "put-payload-units") continue;
    delete h.savingUsd;
    delete h.unitsPerRecord;
  }
  // And a missed latency SLO's tail: the slowest 1% (or half, or 0.1%) of the records, taken since from the top with
  // the last bucket in part; before, every record from the percentile's bucket on (helper-41). Its stage is compared.
  const slos = (report as { verdict?: { slos?: { cause?: Record<string, unknown> }[] } }).verdict?.slos ?? [];
  for (const slo of slos) {
    if (slo.cause?.kind !== "stages") continue;
    delete slo.cause.stagesMs;
    delete slo.cause.tailMeanMs;
  }
  return report;
}

/**
 * `report` without what schema 7 re-defined: what depends on which shards rank hottest (ranked by their writers' first
 * attempts' load, `demand`, no longer by throttled attempts: the verdict's hottest shard, the hottest shards' ids and
 * their series; and each shard's `demand`, added then), and each consumer's `lostPercent` (of the records that arrived
 * after warmup, no longer of the whole run: fanout-vs-polling's start-up skips in its warmup, 66 and 281 records, count
 * no more). Every shard's own numbers (`shards`) and each consumer's accounting are still compared. Deleted on both sides.
 */
export function withoutSchema7<T>(report: T): T {
  const r = report as { verdict?: Record<string, unknown>; hottestShards?: unknown; series?: Record<string, unknown>; shards?: Record<string, unknown>[]; consumers?: Record<string, unknown>[] };
  if (r.verdict) delete r.verdict.hottestShard;
  delete r.hottestShards;
  if (r.series) delete r.series.hotShards;
  for (const s of r.shards ?? []) delete s.demand;
  for (const c of r.consumers ?? []) delete c.lostPercent;
  return report;
}

/**
 * `report` without a Zipf population's `names: ranked` (the sample pins it since shuffled names became the default: ranked
 * is how every Zipf population was named before), in the echoed scenario and in the producers' key description. Deleted
 * on the report's side; the model's numbers are compared.
 */
export function withoutRankedNames<T>(report: T): T {
  const r = report as { scenario?: { producers?: { partitionKey?: { kind: string; names?: string } }[] }; producers?: { keys?: string }[] };
  for (const p of r.scenario?.producers ?? []) if (p.partitionKey?.kind === "zipf" && p.partitionKey.names === "ranked") delete p.partitionKey.names;
  for (const p of r.producers ?? []) if (typeof p.keys === "string") p.keys = p.keys.replace(", key i of rank i", "");
  return report;
}

/**
 * `report` with every latency figure no higher than its maximum, as LatencyHistogram reads them since helper-57's 13:
 * a summary's mean and percentiles (HDR's highest value of the maximum's bucket was above the maximum) and each point of
 * its CDF (`<name>Cdf` beside `<name>`). The same on both sides: for the new report it changes nothing.
 */
export function withPercentilesUpToMax<T>(value: T): T {
  if (Array.isArray(value)) for (const v of value) withPercentilesUpToMax(v);
  else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const maxOf = (k: unknown) => (k !== null && typeof k === "object" && typeof (k as { maxMs?: unknown }).maxMs === "number" ? (k as { maxMs: number }).maxMs : null);
    const m = maxOf(o);
    if (m !== null) for (const k of ["meanMs", "p50Ms", "p90Ms", "p99Ms", "p999Ms"]) if (typeof o[k] === "number") o[k] = Math.min(o[k], m);
    for (const k of Object.keys(o)) {
      const max = k.endsWith("Cdf") ? maxOf(o[k.slice(0, -3)]) : null;
      if (max !== null && Array.isArray(o[k])) for (const point of o[k] as { ms: number }[]) point.ms = Math.min(point.ms, max);
      else withPercentilesUpToMax(o[k]);
    }
  }
  return value;
}

/**
 * `report` with the consumerLostPercent SLO's label in its words at 64ec1f4: "records a consumer never processed" read
 * as if records still waiting (a shard blocked behind a poison record) counted; it says since what it counts (helper-57's
 * 5). A label re-worded, not a number: the new report's is put back, so the reference stays that report's.
 */
export function withConsumerLostLabelOf64ec1f4<T>(report: T): T {
  const slos = (report as { verdict?: { slos?: { name: string; description?: string }[] } }).verdict?.slos ?? [];
  for (const slo of slos) if (slo.name === "consumerLostPercent") slo.description = "records a consumer never processed (worst consumer)";
  return report;
}

/** Every consumer of the scenario text gets `kcl: { version: 2 }` (block or flow style). */
export function pinVersion2(text: string): string {
  const flow = text.replace(/(\{ name: [\w-]+, kind: (?:kcl|fanout),)/g, "$1 kcl: { version: 2 },");
  return flow.replace(/\n(\s+)kind: (kcl|fanout)\n/g, "\n$1kind: $2\n$1kcl: { version: 2 }\n");
}

describe("kcl.version: 2 is the KCL model as it was before 3.x", () => {
  for (const [name, sha] of Object.entries(BEFORE_KCL3)) {
    it(`${name} with every consumer at version 2 gives the pre-3.x report.json's numbers`, () => {
      // Old shard-log entries are not merged (fidelity.mergeOldLogEntries came after 64ec1f4 too).
      const files = renderSample(root, name, (t) => pinVersion2(t) + "fidelity:\n  mergeOldLogEntries: false\n");
      const report = JSON.parse(files["report.json"]!) as Record<string, unknown> & {
        provenance: Record<string, unknown>;
        scenario: { consumers: Record<string, unknown>[] };
        consumers: Record<string, unknown>[];
      };
      expect(report.scenario.consumers.length).toBeGreaterThan(0);
      for (const c of report.scenario.consumers) {
        expect((c.kcl as { version: number }).version).toBe(2);
        delete c.kcl;
      }
      for (const c of report.consumers) expect(c.leaseAssignment).toBeUndefined();
      // The numbers behind each consumer's bottleneck, which schema 4 added.
      // And each consumer's losses of the records that arrived after warmup (schema 7).
      // And the records written twice downstream (schema 11: each consumer's and each fault's writtenAgainRecords).
      for (const c of report.consumers) for (const k of ["fallingBehind", "reads", "fetch", "catchUp", "lostAfterWarmup", "writtenAgainRecords"]) delete c[k];
      for (const f of (report as { faults?: { effect?: Record<string, unknown> | null }[] }).faults ?? []) delete f.effect?.writtenAgainRecords;
      delete (report.scenario as { fidelity?: { mergeOldLogEntries?: boolean } }).fidelity?.mergeOldLogEntries;
      for (const slo of (report as { verdict?: { slos?: { cause?: Record<string, unknown> }[] } }).verdict?.slos ?? []) {
        if (slo.cause?.kind !== "writes") continue;
        delete slo.cause.streamThrottledAttempts;
        delete slo.cause.directPutThrottledAttempts;
        delete slo.cause.directPutStreams;
      }
      delete report.schema;
      delete report.provenance.scenarioSha256;
      withoutReMadeEstimates(report);
      withoutSchema7(report);
      withoutRankedNames(report);
      withPercentilesUpToMax(report);
      withConsumerLostLabelOf64ec1f4(report);
      expect(sha256(JSON.stringify(withoutProse(report)))).toBe(sha);
    });
  }

  it("leaves out sentences only: a number changed beside one, or a sentence under another key, still counts", () => {
    const a = { why: "x", n: 1, cause: { explanation: "y", kind: "stages" }, hints: [{ summary: "z", bytes: 5 }] };
    expect(withoutProse(structuredClone(a))).toEqual({ n: 1, cause: { kind: "stages" }, hints: [{ bytes: 5 }] });
    // A non-string under a prose key (an object called summary) is kept and looked into.
    expect(withoutProse({ summary: { why: "w", p50: 2 } })).toEqual({ summary: { p50: 2 } });
  });
});
