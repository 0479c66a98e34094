// A missed put-latency SLO whose records waited for a connection: the KPL sends at most MaxConnections PutRecords of a
// process at once (awslabs/amazon-kinesis-producer default_config.properties: "Maximum number of connections to open to
// the backend. HTTP requests are sent in parallel over multiple connections", default 24, 1..256; the AWS SDK's
// connection pool, kinesis_producer.cc make_sdk_client_cfg), and a request that finds none free waits, its attempt
// started (the wait is in its Request Time). What its connections start, what its producers made, and what would
// start them, as numbers.

import { KPL_COLLECTOR_BUFFER_RATIO, KPL_COLLECTOR_MAX_BUFFER_MS, PUT_RECORDS_MAX_BYTES_2025, PUT_RECORDS_MAX_RECORDS } from "../aws/limits.js";
import type { KplProducerSpec } from "../spec/index.js";
import type { RunResult } from "./runResult.js";

const MICROS_PER_SECOND = 1_000_000;

/** What the records' wait for a connection was, and what would have started their requests. */
export interface ConnectionWait {
  /** The SLO's percentile of the records' first attempts' wait for a connection (µs), and of the rest of their round trip (sent → response). */
  waitUs: number;
  sentRoundTripUs: number;
  /** The KPL producer group whose records waited longest on average (its parts writing to several streams together). */
  producer: string;
  /** Its records' mean wait (µs, each acknowledged user record's, all its attempts'), and the share of its PutRecords made after warmup that waited (%). */
  waitMeanUs: number;
  waitedPercent: number;
  processes: number;
  maxConnections: number;
  /** The mean round trip (µs) a request holds a connection for, and what its connections start a second at most: processes × MaxConnections ÷ it. */
  meanRoundTripUs: number;
  startsPerSecond: number;
  /** PutRecords it made a second after warmup on average, and in its busiest second (its parts' busiest seconds summed). */
  requestsPerSecond: number;
  busiestSecond: number;
  /**
   * The most PutRecords it made in one window (the simulation's, `windowUs`), and what its connections start of a
   * window's requests: processes × MaxConnections × max(1, window ÷ mean round trip). Over it, a burst within a second
   * waits where the second's requests would not.
   */
  busiestWindow: number;
  windowUs: number;
  windowStarts: number;
  /**
   * The requests it made in its busiest second two ways; either over what its connections start keeps requests waiting
   * whatever the other. `deadlineRequestsPerSecond`: one a process at its collector's deadline (or, with aggregation on,
   * as a shard's aggregate reached it due), however few records each held (with aggregation off, processes ÷
   * RecordMaxBufferedTime, or the window if longer); over the starts, `deadlineBound`, and more processes do not help
   * (each brings its deadlines with its connections). `fullRequestsPerSecond`: the full PutRecords its records filled
   * (Kinesis records ÷ CollectionMaxCount or bytes ÷ CollectionMaxSize, unrounded); over the starts, `fillBound`.
   */
  deadlineRequestsPerSecond: number;
  deadlineBound: boolean;
  fullRequestsPerSecond: number;
  fillBound: boolean;
  /** The share of its requests made because their records filled one (CollectionMaxCount or CollectionMaxSize), %, and whether mostly by size. */
  filledPercent: number;
  filledBySize: boolean;
  /**
   * Remedies that hold for this run. Always, the MaxConnections that would start its busiest second's requests, and its
   * busiest window's at once (may pass 256, the KPL's most). Deadline-bound only, aggregation off: the RecordMaxBufferedTime (µs) above which its
   * processes' deadlines make fewer requests than its connections start (the mean round trip ÷ MaxConnections; with
   * aggregation on each shard's aggregate falls due on its own, and no such bound holds). Fill-bound only: fewer,
   * fuller requests: aggregation on (off, filled by count, and its processes sending one every min(50 ms,
   * RecordMaxBufferedTime × 0.2) each would be within the starts: with aggregation on a process's collector sends that
   * often while due aggregates keep coming, pipeline.h collector_put), a larger CollectionMaxCount (under 500, by
   * count) or CollectionMaxSize (under the PutRecords limit, by size); and, aggregation off, the processes whose
   * connections start the full requests of its busiest second (their deadlines, one a process each RecordMaxBufferedTime,
   * growing with their connections).
   */
  remedies: {
    maxConnections: number;
    recordMaxBufferedTimeUs?: number;
    aggregation?: true;
    collectionMaxCount?: true;
    collectionMaxSize?: true;
    processes?: number;
  };
}

/**
 * The wait for a connection behind a put latency percentile, if the records waited at it or on average (their first
 * attempts, or their retries); undefined when no KPL producer's records waited.
 */
export function connectionWait(r: RunResult, pct: "p50" | "p99" | "p999"): ConnectionWait | undefined {
  // By group: a group writing to several streams is one model a stream, sharing its processes' connections.
  const groups = new Map<
    string,
    { spec: KplProducerSpec; made: number; waited: number; filled: number; bySize: number; busiest: number; busiestWindow: number; windowUs: number; deadline: number; full: number; seconds: number; waitSum: number; count: number; roundTrip: number }
  >();
  for (const p of r.producers) {
    const c = p.connections;
    if (!c) continue;
    const spec = r.scenario.producers.find((s) => s.name === p.group);
    if (spec?.client !== "kpl") continue;
    const g = groups.get(p.group) ?? { spec, made: 0, waited: 0, filled: 0, bySize: 0, busiest: 0, busiestWindow: 0, windowUs: c.windowUs, deadline: 0, full: 0, seconds: c.seconds, waitSum: 0, count: 0, roundTrip: c.meanRoundTripUs };
    g.made += c.requestsMade;
    g.waited += c.requestsWaited;
    g.filled += c.requestsFilled;
    g.bySize += c.requestsFilledBySize;
    g.busiest += c.requestsBusiestSecond;
    g.busiestWindow += c.requestsBusiestWindow;
    g.deadline += c.deadlineRequestsBusiestSecond;
    g.full += c.fullRequestsBusiestSecond;
    g.waitSum += c.wait.mean * c.wait.count;
    g.count += c.wait.count;
    groups.set(p.group, g);
  }
  let worst: [string, NonNullable<ReturnType<typeof groups.get>>] | undefined;
  for (const [name, g] of groups) if (g.count > 0 && g.waitSum > 0 && (!worst || g.waitSum / g.count > worst[1].waitSum / worst[1].count)) worst = [name, g];
  const waitUs = r.putLatencyConnectionWait[pct];
  if (!worst || (waitUs <= 0 && r.putLatencyConnectionWait.mean <= 0 && r.putLatencyWaits[pct] <= 0 && r.putLatencyWaits.mean <= 0)) return undefined;
  const [name, g] = worst;
  const kpl = g.spec.kpl;
  const k = g.spec.instances;
  const roundTripS = g.roundTrip / MICROS_PER_SECOND;
  const startsPerSecond = (k * kpl.maxConnections) / roundTripS;
  const deadlineRequestsPerSecond = g.deadline;
  const over = (x: number) => x > startsPerSecond * (1 + 1e-9);
  const deadlineBound = over(deadlineRequestsPerSecond);
  const fillBound = over(g.full);
  const filledBySize = g.bySize * 2 > g.filled;
  // Its busiest second's requests, started over the second; and its busiest window's, started at once (a connection starts
  // max(1, window ÷ round trip) of a window's requests: kpl.ts connect).
  const perWindow = Math.max(1, g.windowUs / g.roundTrip);
  const remedies: ConnectionWait["remedies"] = { maxConnections: Math.max(Math.ceil((g.busiest * roundTripS) / k - 1e-9), Math.ceil(g.busiestWindow / (k * perWindow) - 1e-9)) };
  if (deadlineBound && !fillBound && !kpl.aggregationEnabled) remedies.recordMaxBufferedTimeUs = g.roundTrip / kpl.maxConnections;
  if (fillBound && !deadlineBound) {
    const collectorWaitUs = Math.min(KPL_COLLECTOR_MAX_BUFFER_MS * 1_000, kpl.recordMaxBufferedTime * KPL_COLLECTOR_BUFFER_RATIO);
    const aggregated = (k * MICROS_PER_SECOND) / Math.max(collectorWaitUs, 1);
    if (!filledBySize && !kpl.aggregationEnabled && !over(aggregated)) remedies.aggregation = true;
    if (!filledBySize && kpl.collectionMaxCount < PUT_RECORDS_MAX_RECORDS) remedies.collectionMaxCount = true;
    if (filledBySize && kpl.collectionMaxSize < PUT_RECORDS_MAX_BYTES_2025) remedies.collectionMaxSize = true;
    if (!kpl.aggregationEnabled) remedies.processes = Math.ceil((g.full * roundTripS) / kpl.maxConnections - 1e-9);
  }
  return {
    waitUs,
    sentRoundTripUs: r.putLatencyRoundTripSent[pct],
    producer: name,
    waitMeanUs: g.waitSum / g.count,
    waitedPercent: g.made > 0 ? (100 * g.waited) / g.made : 0,
    processes: k,
    maxConnections: kpl.maxConnections,
    meanRoundTripUs: g.roundTrip,
    startsPerSecond,
    requestsPerSecond: g.seconds > 0 ? g.made / g.seconds : 0,
    busiestSecond: g.busiest,
    busiestWindow: g.busiestWindow,
    windowUs: g.windowUs,
    windowStarts: k * kpl.maxConnections * perWindow,
    deadlineRequestsPerSecond,
    deadlineBound,
    fullRequestsPerSecond: g.full,
    fillBound,
    filledPercent: g.made > 0 ? (100 * g.filled) / g.made : 0,
    filledBySize,
    remedies,
  };
}
