// The partial result of `sweep --partition i/n` (sweep-part-i-of-n.json) and how `merge` checks one before using
// it. A part carries everything its sweep was made from: the scenario's text, the --vary arguments, the
// replications and confidence, and the text of every trace file the scenario read (so that `merge` reads no file a
// part names); a digest of all of that and of the sweep's plan ties the parts of one sweep together. `merge`
// checks each part against PartSchema (finite, non-negative metrics; no NaN, null or missing value), its
// scenario text against its scenarioSha256, and its digest and every run against the plan it rebuilds.

import { createHash } from "node:crypto";
import { z } from "zod";
import type { PreparedSweep } from "../sweep/sweep.js";
import { metricsFor } from "../sweep/summary.js";
import { CliError, EXIT } from "./errors.js";

/**
 * Partial results of `sweep --partition`; /2: run reasons by SLO; /3: the traces' text and the sweep's digest; /4: each run
 * reason's kind, and an SLO without data in a run (noData); /5: an SLO a run met so far only (soFar).
 */
export const PART_SCHEMA = "shardcast.sweep-part/5";

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const metric = z.number().finite().min(0);

const RunSummarySchema = z.strictObject({
  task: count,
  config: count,
  replication: count,
  seed: count,
  metrics: z.record(z.string(), metric),
  slos: z.array(
    z.strictObject({
      name: z.string(),
      met: z.boolean(),
      noData: z.literal(true).optional(),
      soFar: z.strictObject({ kind: z.enum(["growingBacklog", "writeBurst"]), words: z.string() }).optional(),
    }),
  ),
  reasons: z.array(z.strictObject({ slo: z.string(), reason: z.string(), kind: z.string() })),
  events: count,
});

export const PartSchema = z.strictObject({
  schema: z.literal(PART_SCHEMA),
  shardcastVersion: z.string(),
  scenarioFile: z.string().min(1),
  scenarioSha256: z.string().regex(/^[0-9a-f]{64}$/),
  scenarioText: z.string(),
  varies: z.array(z.string()),
  replications: z.number().int().min(1).max(1000),
  confidence: z.number().gt(0.5).lt(1),
  partition: z.strictObject({ index: z.number().int().min(1), count: z.number().int().min(1).max(100_000) }).refine((p) => p.index <= p.count, "index must be at most count"),
  traces: z.record(z.string(), z.string()),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  summaries: z.array(RunSummarySchema),
});

export type PartFile = z.infer<typeof PartSchema>;

const sha256 = (text: string | Uint8Array) => createHash("sha256").update(text).digest("hex");

/** The digest of a sweep: its scenario, options, traces and plan (every task's configuration and seed). */
export function sweepDigest(p: PreparedSweep, part: Pick<PartFile, "shardcastVersion" | "scenarioSha256" | "varies" | "replications" | "confidence" | "traces"> & { count: number }): string {
  const traces = Object.keys(part.traces)
    .sort()
    .map((k) => [k, sha256(part.traces[k]!)]);
  const tasks = p.plan.tasks.map((t) => [t.index, t.config, t.replication, t.seed]);
  return sha256(JSON.stringify([PART_SCHEMA, part.shardcastVersion, part.scenarioSha256, part.varies, part.replications, part.confidence, part.count, traces, tasks]));
}

/**
 * A part file's parsed JSON checked against PartSchema, and its scenario text against its scenarioSha256; the exit-1
 * error naming the file and the field otherwise.
 */
export function checkPartShape(data: unknown, file: string): PartFile {
  if (typeof data !== "object" || data === null || (data as { schema?: unknown }).schema !== PART_SCHEMA) {
    const schema = typeof data === "object" && data !== null ? (data as { schema?: unknown }).schema : undefined;
    const what = typeof schema === "string" && schema.startsWith("shardcast.sweep-part/") ? ` (it is ${schema}, from another shardcast version; run the partitions again)` : "";
    throw new CliError(`${file}: not a shardcast partial sweep result of schema ${PART_SCHEMA}${what}`, EXIT.badInput);
  }
  const parsed = PartSchema.safeParse(data);
  if (parsed.success) {
    if (sha256(parsed.data.scenarioText) !== parsed.data.scenarioSha256) {
      throw new CliError(`${file}: scenarioText does not match scenarioSha256 (a part file is written by \`shardcast sweep --partition\`; this one was changed or damaged)`, EXIT.badInput);
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`)).join("").replace(/^\./, "");
  const value = issue.path.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), data);
  const got = value === undefined ? "nothing" : value === null ? "null" : typeof value === "number" || typeof value === "boolean" ? String(value) : Array.isArray(value) ? "a list" : typeof value;
  const expected = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message;
  throw new CliError(`${file}: ${path || "the file"}: ${expected}, got ${got} (a part file is written by \`shardcast sweep --partition\`; this one was changed or damaged)`, EXIT.badInput);
}

/** Checks a part's runs against the sweep it rebuilt: its digest, its slice of the plan, each run's task, config, seed and metrics. */
export function checkPartAgainstPlan(part: PartFile, file: string, p: PreparedSweep): void {
  const bad = (why: string) => new CliError(`${file}: ${why} (a part file is written by \`shardcast sweep --partition\`; this one was changed or damaged)`, EXIT.badInput);
  if (sweepDigest(p, { ...part, count: part.partition.count }) !== part.digest) throw bad("digest does not match the scenario, options, traces and plan the part holds");
  const base = p.scenarios[0]!;
  const names = metricsFor(base.consumers.length > 0, base.firehose.length > 0)
    .map((m) => m.name)
    .sort();
  const seen = new Set<number>();
  part.summaries.forEach((s, i) => {
    const at = `summaries[${i}]`;
    const task = p.plan.tasks[s.task];
    if (!task) throw bad(`${at}.task: ${s.task} is not a task of the sweep (it has ${p.plan.tasks.length})`);
    if (s.task % part.partition.count !== part.partition.index - 1) throw bad(`${at}.task: task ${s.task} is not in partition ${part.partition.index}/${part.partition.count}`);
    if (seen.has(s.task)) throw bad(`${at}.task: task ${s.task} is given twice`);
    seen.add(s.task);
    if (s.config !== task.config || s.replication !== task.replication || s.seed !== task.seed) throw bad(`${at}: config, replication or seed differ from the sweep's task ${s.task}`);
    const keys = Object.keys(s.metrics).sort();
    if (keys.join(",") !== names.join(",")) throw bad(`${at}.metrics: expected exactly ${names.join(", ")}`);
  });
}
