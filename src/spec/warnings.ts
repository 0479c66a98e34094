// Warnings: what a valid scenario says that the real service would likely refuse, that is legal but almost
// certainly a mistake, or that shardcast cannot simulate faithfully, as data. Unlike the schema's errors they do
// not stop a run: `shardcast validate` and `run` print them with the field's file:line:col (src/scenario places
// them), and the report lists them. One pure function over the parsed Scenario, one check per kind; the decimal
// units come from what the loader noted of the file (writtenUnits.ts). docs/model.md lists them.

import * as L from "../aws/limits.js";
import { DEFAULT_REGION } from "./common.js";
import { agentTruncationNote, bytesText, keyText, limitText, meanRecordSize, percentText, recordFactor, recordFit, recordSizeText, shareOver, tailField } from "./recordFit.js";
import type { Scenario } from "./scenario.js";
import { streamsOf } from "./topology.js";
import { formatDuration } from "./units.js";
import { binaryOf, bytesOf, decimalUnitsOf } from "./writtenUnits.js";
import { neverCheckpoints } from "./consumers.js";

/** A warning about a valid scenario. */
export interface ScenarioWarning {
  /** What kind of warning, stable for tools: "account-shard-quota", "records-too-large", … */
  code:
    | "account-shard-quota"
    | "decimal-unit"
    | "records-too-large"
    | "agent-record-truncated"
    | "request-smaller-than-record"
    | "kpl-ttl-within-buffering"
    | "kpl-rate-limit-without-aggregation"
    | "rate-change-after-end"
    | "buffer-interval-not-shorter-than-run"
    | "unknown-region"
    | "kcl-never-checkpoints";
  /** The field it is about, as a path into the scenario file's data: ["stream", "shards"], ["streams"]. */
  path: (string | number)[];
  /** What is wrong and what to do, in words. */
  message: string;
}

/** Every warning about a scenario: by kind, each kind in the order of its fields. */
export function scenarioWarnings(sc: Scenario): ScenarioWarning[] {
  return [
    ...decimalUnits(sc),
    ...recordsTooLarge(sc),
    ...agentRecordsTruncated(sc),
    ...requestsSmallerThanRecords(sc),
    ...kplTtlWithinBuffering(sc),
    ...kplRateLimitWithoutAggregation(sc),
    ...rateChangesAfterEnd(sc),
    ...bufferIntervalsNotShorterThanRun(sc),
    ...accountShardQuota(sc),
    ...unknownRegion(sc),
    ...kclNeverCheckpoints(sc),
  ];
}

/**
 * The AWS Regions (commercial, China and GovCloud partitions) as the AWS SDK's partition data lists them
 * (aws-sdk-js-v3, packages/util-endpoints/src/lib/aws/partitions.json; AWS General Reference, "AWS service endpoints").
 * A Region code the scenario states that is not among them is most likely a typo, which would silently take another
 * Region's quotas (on-demand's 200 MB/s instead of 10 GB/s, the shard quota): a warning, not an error, as AWS opens
 * new Regions.
 */
export const KNOWN_REGIONS: readonly string[] = [
  "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
  "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1",
  "us-east-2", "us-west-1", "us-west-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
];

/** A stated `region` that is no AWS Region shardcast knows (KNOWN_REGIONS): probably misspelt. */
function unknownRegion(sc: Scenario): ScenarioWarning[] {
  if (sc.region === undefined || KNOWN_REGIONS.includes(sc.region)) return [];
  const near = KNOWN_REGIONS.filter((r) => r.split("-")[0] === sc.region!.split("-")[0]);
  return [
    {
      code: "unknown-region",
      path: ["region"],
      message: `region "${sc.region}" is not an AWS Region shardcast knows${near.length > 0 ? ` (${near.join(", ")} are)` : ""}: if it is misspelt, the run takes another Region's quotas (on-demand's 200 MB/s of writes outside ${L.ON_DEMAND_LARGE_REGIONS.join(", ")}; the default shard quota). Check the spelling; a Region newer than shardcast's list runs as stated.`,
    },
  ];
}

/** Shares of records too large below this (one in a million) are not worth a warning: a lognormal's tail never ends. */
export const NEGLIGIBLE_SHARE = 1e-6;

/** The Region the scenario's streams are in: its `region`, or us-east-1. */
export function regionOf(sc: Pick<Scenario, "region">): string {
  return sc.region ?? DEFAULT_REGION;
}

/**
 * The shards a stream holds against the account's shard quota, from the most it has open at once. Today a
 * stream keeps its `shards` for the whole run, so that is all it holds. The hook for resharding (a later issue):
 * pass the peak open shard count of its plan and add the short-lived shards UpdateShardCount's splits and merges
 * create, which "count towards your total shard limit for your account in the Region" (API Reference
 * UpdateShardCount: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html).
 */
export function shardsAgainstQuota(peakOpenShards: number): number {
  return peakOpenShards;
}

const n = (x: number) => x.toLocaleString("en-US");
const produced = (i: number, ...rest: (string | number)[]) => ["producers", i, ...rest];

/**
 * The account's shard quota per Region (quotas page: https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html):
 * the provisioned streams' shards together must fit it, or CreateStream fails with LimitExceededException (API
 * Reference CreateStream). On-demand streams have no shard quota (and the scenario language has none yet).
 */
function accountShardQuota(sc: Scenario): ScenarioWarning[] {
  const streams = streamsOf(sc).filter((s) => s.spec.mode === "provisioned");
  if (streams.length === 0) return [];
  const shards = streams.reduce((total, s) => total + shardsAgainstQuota(s.spec.shards), 0);
  const region = regionOf(sc);
  const path = sc.streams ? ["streams"] : ["stream", "shards"];
  const what = streams.length === 1 ? `${n(shards)} shards` : `${streams.length} streams with ${n(shards)} shards in all`;
  const set = sc.account?.shardQuota;
  if (set !== undefined) {
    if (shards <= set) return [];
    return [
      {
        code: "account-shard-quota",
        path,
        message: `${what}: more than the account's shard quota of ${n(set)} in ${region} (account.shardQuota); CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, or use fewer shards.`,
      },
    ];
  }
  const quota = L.defaultAccountShardQuota(region);
  if (shards <= quota.quota) return [];
  const large = L.ACCOUNT_SHARD_QUOTA_LARGE_REGIONS;
  const others = `Regions other than ${large.slice(0, -1).join(", ")} and ${large.at(-1)!}`;
  const message =
    quota.orUpTo === undefined
      ? `${what}: more than the default shard quota of ${n(quota.quota)} per account in ${region}; CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, then set account.shardQuota.`
      : shards <= quota.orUpTo
        ? `${what}: more than ${n(quota.quota)}, one of the two default shard quotas per account in ${region} (AWS gives ${n(quota.quota)} or ${n(quota.orUpTo)} in ${others}, without listing which): check your quota in Service Quotas and set account.shardQuota.`
        : `${what}: more than either default shard quota per account in ${region}, ${n(quota.quota)} or ${n(quota.orUpTo)} (AWS gives one or the other in ${others}); CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, then set account.shardQuota.`;
  return [{ code: "account-shard-quota", path, message }];
}

const PER: Record<string, string> = { s: "s", m: "min", h: "h" };
const DECIMAL_POWER = { KB: "10^3", MB: "10^6", GB: "10^9" } as const;
const BINARY_POWER = { KiB: "2^10", MiB: "2^20", GiB: "2^30" } as const;

/**
 * Sizes and byte rates written in KB, MB or GB: shardcast reads them as powers of 1,000 (units.ts), but AWS writes
 * "MB" for MiB in the Kinesis limits (a shard takes "1 MB/s" = 1,048,576 B/s; quotas page
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html), so a user copying AWS's numbers
 * most likely means MiB. Both readings, and how to write the other.
 */
function decimalUnits(sc: Scenario): ScenarioWarning[] {
  return decimalUnitsOf(sc).map((u) => {
    const per = u.per ? `/${PER[u.per]!}` : "";
    const binary = binaryOf(u.unit);
    const perWritten = u.per ? `/${u.per}` : "";
    return {
      code: "decimal-unit",
      path: u.path,
      message: `"${u.text}" is ${n(bytesOf(u.amount, u.unit))} B${per}: shardcast reads ${u.unit} as ${DECIMAL_POWER[u.unit]} B and ${binary} as ${BINARY_POWER[binary]} B. AWS writes "KB" and "MB" for KiB and MiB in its Kinesis limits and prices (a shard takes "1 MB/s", 1,048,576 B/s; a PUT payload unit is "25 KB", 25,600 B): if that is what you meant, write ${u.amount}${binary}${perWritten} (${n(bytesOf(u.amount, binary))} B${per}).`,
    };
  });
}

/**
 * A share of a producer's records larger than the record limit where they go (a distribution's tail, a stream
 * among several, or the longer of its partition keys): lost as too large, as the model counts them. Every record
 * too large is an error of the schema instead (recordFit.ts everyRecordTooLarge).
 */
function recordsTooLarge(sc: Scenario): ScenarioWarning[] {
  return sc.producers.flatMap((p, i) => {
    const rs = p.recordSize;
    if (!rs) return [];
    const fits = recordFit(sc, p, rs);
    if (fits.length === 0 || fits.every((f) => f.least === 1)) return [];
    const most = fits.reduce((a, f) => a + f.target.share * f.most, 0);
    const least = fits.reduce((a, f) => a + f.target.share * f.least, 0);
    if (most < NEGLIGIBLE_SHARE) return [];
    const amount = percentText(least) === percentText(most) ? `about ${percentText(most)}` : least > 0 ? `between ${percentText(least)} and ${percentText(most)}` : `up to ${percentText(most)}`;
    const over = fits
      .filter((f) => f.most > 0)
      .map((f) =>
        f.target.kind === "stream"
          ? `${limitText(f.target)} with ${keyText(f.target.keys)} (more than ${n(f.room.withLongestKey === f.room.withShortestKey ? f.room.withShortestKey : f.room.withLongestKey)} B of data${f.room.withLongestKey === f.room.withShortestKey ? "" : ` with the longest key, ${n(f.room.withShortestKey)} B with the shortest`})`
          : `${limitText(f.target)} (more than ${n(f.room.withShortestKey)} B of data)`,
      );
    const depends = least !== most && fits.some((f) => f.least !== f.most) ? " (the share depends on which partition keys the records get)" : "";
    const agent = p.client === "agent" ? ` ${agentTruncationNote(fits[0]!.target)}` : "";
    return [
      {
        code: "records-too-large" as const,
        path: produced(i, "recordSize", tailField(rs)),
        message: `${amount} of the records (${recordSizeText(p, rs)}) are larger than ${over.join(", or ")}${depends}: each is rejected and lost as too large ("lost: too large" in the report).${agent}`,
      },
    ];
  });
}

/**
 * The Kinesis Agent truncates a record longer than its own limit (1 MiB with the partition key to a Kinesis
 * stream, whatever the stream's maxRecordSize) and sends it (L.AGENT_MAX_RECORD_SIZE_KINESIS); shardcast does not
 * model the truncation and writes records up to the stream's maxRecordSize whole. Records above maxRecordSize are
 * lost in the model and counted by recordsTooLarge.
 */
function agentRecordsTruncated(sc: Scenario): ScenarioWarning[] {
  return sc.producers.flatMap((p, i) => {
    const rs = p.recordSize;
    if (p.client !== "agent" || !rs) return [];
    const f = recordFactor(p);
    const limit = L.AGENT_MAX_RECORD_SIZE_KINESIS;
    const fits = recordFit(sc, p, rs).filter((x) => x.target.kind === "stream" && x.target.maxRecordSize > limit);
    if (fits.length === 0) return [];
    const truncated = (key: number, room: number) => Math.max(0, shareOver(rs, Math.floor(limit - key), f) - shareOver(rs, room, f));
    const a = fits.reduce((s, x) => s + x.target.share * truncated(x.target.keys.min, x.room.withShortestKey), 0);
    const b = fits.reduce((s, x) => s + x.target.share * truncated(x.target.keys.max, x.room.withLongestKey), 0);
    const [least, most] = a <= b ? [a, b] : [b, a];
    if (most < NEGLIGIBLE_SHARE) return [];
    const amount = percentText(least) === percentText(most) ? `about ${percentText(most)}` : `up to ${percentText(most)}`;
    const streams = fits.map((x) => `"${x.target.name}" (${formatSize1(x.target.maxRecordSize)})`).join(", ");
    return [
      {
        code: "agent-record-truncated" as const,
        path: produced(i, "recordSize", tailField(rs)),
        message: `${amount} of the records (${recordSizeText(p, rs)}) are larger than the Kinesis Agent's own record limit of ${bytesText(limit)} with ${keyText(fits[0]!.target.keys)}, whatever the stream's maxRecordSize (${streams}): the real agent truncates each to that size and sends it, while shardcast does not model the truncation and writes them whole, so the bytes written and read are overstated.`,
      },
    ];
  });
}

function formatSize1(bytes: number): string {
  return bytesText(bytes).replace(/ \(.*\)$/, "");
}

/**
 * A request size smaller than the mean record (data and partition key): every PutRecords then carries one record,
 * as many requests as records (the model: src/model/producers/putClient.ts recordsPerRequest, kpl.ts requests).
 * SDK maxRequestSize, the KPL's CollectionMaxSize, the agent's maxBufferSizeBytes.
 */
function requestsSmallerThanRecords(sc: Scenario): ScenarioWarning[] {
  return sc.producers.flatMap((p, i) => {
    const rs = p.recordSize;
    if (!rs) return [];
    const setting =
      p.client === "sdk"
        ? p.api === "PutRecords"
          ? { path: produced(i, "maxRequestSize"), name: "maxRequestSize", bytes: p.maxRequestSize }
          : undefined
        : p.client === "kpl"
          ? { path: produced(i, "kpl", "collectionMaxSize"), name: "CollectionMaxSize (kpl.collectionMaxSize)", bytes: p.kpl.collectionMaxSize }
          : { path: produced(i, "agent", "maxBufferSizeBytes"), name: "maxBufferSizeBytes (agent.maxBufferSizeBytes)", bytes: p.agent.maxBufferSizeBytes };
    if (!setting) return [];
    const targets = recordFit(sc, p, rs).map((f) => f.target);
    const keys = targets.find((t) => t.kind === "stream")?.keys ?? { min: 0, max: 0 };
    const data = meanRecordSize(rs, recordFactor(p));
    const mean = data + keys.min;
    if (!(mean > setting.bytes)) return [];
    const withKey = keys.max > 0 ? ` with ${keys.min === keys.max ? keyText(keys) : `its shortest partition key (${keys.min} B)`}` : "";
    return [
      {
        code: "request-smaller-than-record" as const,
        path: setting.path,
        message: `${setting.name} ${bytesText(setting.bytes)} is less than a record: the records average ${bytesText(Math.round(mean))}${withKey}, so every PutRecords request carries a single record, as many requests as records.`,
      },
    ];
  });
}

/**
 * KPL RecordTtl not longer than RecordMaxBufferedTime: a user record that waits the whole buffering time expires
 * before it is sent (the KPL fails expired records; so does the model, src/model/producers/kpl.ts).
 */
function kplTtlWithinBuffering(sc: Scenario): ScenarioWarning[] {
  return sc.producers.flatMap((p, i) => {
    if (p.client !== "kpl") return [];
    const { recordTtl, recordMaxBufferedTime } = p.kpl;
    if (recordTtl > recordMaxBufferedTime) return [];
    const field = recordTtl !== L.KPL_RECORD_TTL_MS * 1_000 ? "recordTtl" : "recordMaxBufferedTime";
    return [
      {
        code: "kpl-ttl-within-buffering" as const,
        path: produced(i, "kpl", field),
        message: `RecordTtl (${formatDuration(recordTtl)}) is not longer than RecordMaxBufferedTime (${formatDuration(recordMaxBufferedTime)}): a user record that waits the whole buffering time expires before it is sent and is lost ("KPL RecordTtl expired"). Give recordTtl room for buffering, the put and its retries (KPL defaults: 30 s and 100 ms).`,
      },
    ];
  });
}

/**
 * A KPL RateLimit other than the default with aggregation off: the KPL's limiter acts only on records with a predicted
 * shard, and its aggregator predicts one only with aggregation on (aggregator.h, limiter.h), so RateLimit does nothing.
 */
function kplRateLimitWithoutAggregation(sc: Scenario): ScenarioWarning[] {
  return sc.producers.flatMap((p, i) => {
    if (p.client !== "kpl" || p.kpl.aggregationEnabled || p.kpl.rateLimit === L.KPL_RATE_LIMIT_PERCENT) return [];
    return [
      {
        code: "kpl-rate-limit-without-aggregation" as const,
        path: produced(i, "kpl", "rateLimit"),
        message: `RateLimit (${p.kpl.rateLimit}%) has no effect with aggregationEnabled: false: the KPL rate-limits only records whose shard it predicts, and it predicts a shard only when aggregating (KPL aggregator.h, limiter.h). Every record and retry is sent as it falls due; turn aggregation on for the limiter to act.`,
      },
    ];
  });
}

/** Rate changes that start at or after the end of the run: a step level, a spike, a ramp's start (likely a unit slip). */
function rateChangesAfterEnd(sc: Scenario): ScenarioWarning[] {
  const end = formatDuration(sc.duration);
  return sc.producers.flatMap((p, i): ScenarioWarning[] => {
    const r = p.rate;
    const warn = (path: (string | number)[], what: string, at: number, effect: string): ScenarioWarning => ({
      code: "rate-change-after-end",
      path: produced(i, "rate", ...path),
      message: `${what} starts at ${formatDuration(at)}, not before the end of the run (duration ${end}): ${effect}.`,
    });
    if (r.shape === "step") return r.levels.flatMap((l, j) => (j > 0 && l.at >= sc.duration ? [warn(["levels", j, "at"], `level ${j}`, l.at, "it never takes effect")] : []));
    if (r.shape === "spikes") return r.spikes.flatMap((s, j) => (s.at >= sc.duration ? [warn(["spikes", j, "at"], `spike ${j}`, s.at, "it never happens")] : []));
    if (r.shape === "ramp" && r.start >= sc.duration) return [warn(["start"], "the ramp", r.start, `the rate stays at \`from\`, ${r.from}/s, for the whole run`)];
    return [];
  });
}

/**
 * A Firehose buffer interval (or its Lambda transform's) not shorter than the run: no delivery (invocation) falls
 * due by interval before the run ends, so only buffers that fill to their size go on, and the rest stays inside.
 */
function bufferIntervalsNotShorterThanRun(sc: Scenario): ScenarioWarning[] {
  const end = formatDuration(sc.duration);
  return sc.firehose.flatMap((f, i): ScenarioWarning[] => {
    const out: ScenarioWarning[] = [];
    if (f.transform && f.transform.buffer.interval >= sc.duration) {
      out.push({
        code: "buffer-interval-not-shorter-than-run",
        path: ["firehose", i, "transform", "buffer", "interval"],
        message: `delivery stream "${f.name}": the transform's buffer interval (${formatDuration(f.transform.buffer.interval)}) is not shorter than the run (${end}): no invocation falls due by interval, so the Lambda runs only on buffers that reach ${bytesText(f.transform.buffer.size)}; whatever is buffered when the run ends is reported as still inside. Run longer, or shorten the interval.`,
      });
    }
    if (f.buffer.interval >= sc.duration) {
      out.push({
        code: "buffer-interval-not-shorter-than-run",
        path: ["firehose", i, "buffer", "interval"],
        message: `delivery stream "${f.name}": the buffer interval (${formatDuration(f.buffer.interval)}) is not shorter than the run (${end}): no delivery falls due by interval, so only buffers that reach ${bytesText(f.buffer.size)} are delivered; whatever is buffered when the run ends is reported as still inside, and delivery latency covers the full buffers alone. Run longer, or shorten the interval.`,
      });
    }
    return out;
  });
}

/**
 * A KCL application that never checkpoints (neverCheckpoints: no `checkpoint:`, no sink checkpointing after its
 * flushes) whose leases change hands in the run: a worker crashes or restarts, or workers join where a lease moves
 * without a checkpoint (KCL 2.x steals; KCL 3.x with graceful handoff off). A lease keeps the checkpoint it was
 * created with, the initial position (amazon-kinesis-client HierarchicalShardSyncer), so its new owner starts there:
 * at LATEST it skips every record written since the last one processed (lost to the application), at TRIM_HORIZON
 * it processes again every record the shard retains.
 */
function kclNeverCheckpoints(sc: Scenario): ScenarioWarning[] {
  return sc.consumers.flatMap((c, i): ScenarioWarning[] => {
    if ((c.kind !== "kcl" && c.kind !== "fanout") || !neverCheckpoints(c)) return [];
    const handoff = c.kcl.version === 3 && c.kcl.gracefulLeaseHandoffConfig.isGracefulLeaseHandoffEnabled;
    const moves = sc.faults.filter((f) => "consumer" in f && f.consumer === c.name && (f.kind === "worker-crash" || f.kind === "worker-restart" || (f.kind === "worker-add" && !handoff)));
    if (moves.length === 0) return [];
    const first = moves[0]!;
    const which = `its ${first.kind} at ${formatDuration(first.at)}${moves.length > 1 ? ` (and ${moves.length - 1} more fault${moves.length === 2 ? "" : "s"} of its workers)` : ""}`;
    // A worker-add's moves are steals (KCL 2.x) or moves at once (3.x, handoff off): the old owner goes on processing until
    // it notices, so the new owner at LATEST may skip records or process some twice (helper-110: a 2.x worker-add with no
    // checkpoint skipped none and processed 1,705 twice); a crash or restart leaves no one processing meanwhile.
    const stealsOnly = moves.every((f) => f.kind === "worker-add");
    const effect =
      c.initialPosition === "LATEST"
        ? stealsOnly
          ? "at LATEST while the old owner goes on processing until it notices the lease is gone: records between where the old owner stops and where the new one starts are skipped (lost to the application, reported as skipped), and records both process are processed twice"
          : "at LATEST, skipping every record written since the last one processed: those records are lost to the application (reported as skipped)"
        : "at TRIM_HORIZON, processing again every record its shard still retains (up to the stream's retention)";
    return [
      {
        code: "kcl-never-checkpoints",
        path: ["consumers", i, "checkpoint"],
        message: `consumer "${c.name}" never checkpoints (no \`checkpoint:\` setting), and ${which} moves leases: a lease without a checkpoint keeps the initial position it was created with (KCL HierarchicalShardSyncer), so its new owner starts ${effect}. Set \`checkpoint: { every: 10s }\` (a new owner then processes again only what came after the last checkpoint)${c.initialPosition === "LATEST" ? ", or `initialPosition: TRIM_HORIZON` (nothing skipped, but every retained record of the shard processed again)" : ""}.`,
      },
    ];
  });
}
