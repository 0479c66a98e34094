// fast-check arbitraries over the whole scenario language, kept small (a minute or two, a few shards): every
// producer client (sdk, kpl, agent, and trace replays), every consumer kind of the language (KCL polling and enhanced
// fan-out, on KCL 2.x or 3.x; Lambda event source mappings, polling or fan-out), consumer sinks (DynamoDB provisioned
// or on-demand, S3, OpenSearch, Redshift), Firehose (from the stream or Direct PUT, with buffering hints, a Lambda
// transform and each destination), faults (worker crash, restart and add, function errors, destination outage and
// slowdown, Lambda errors), reshards (split, merge, UpdateShardCount, switch-mode), autoscaling policies
// (scaling-utils, cloudwatch-alarms) and on-demand mode.
// Each generates a scenario as the file would write it (units as strings), valid by construction.

import fc from "fast-check";

export interface Generated {
  scenario: Record<string, unknown>;
  /** The trace file's CSV text (`trace.csv`, relative to the scenario), when a producer replays one. */
  traceCsv?: string;
}

const rate = (max: number) =>
  fc.oneof(
    fc.integer({ min: 1, max }).map((v) => ({ shape: "constant", value: `${v}/s` })),
    fc.integer({ min: 1, max }).map((v) => ({ shape: "poisson", value: `${v}/s` })),
    fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }), fc.integer({ min: 1, max: 50 })).map(([a, b, at]) => ({ shape: "step", levels: [{ at: "0s", value: `${a}/s` }, { at: `${at}s`, value: `${b}/s` }] })),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([from, to]) => ({ shape: "ramp", from: `${from}/s`, to: `${to}/s` })),
    fc.tuple(fc.integer({ min: 2, max }), fc.integer({ min: 0, max: 100 })).map(([mean, pct]) => ({ shape: "diurnal", mean: `${mean}/s`, peak: `${Math.round(mean * (1 + pct / 100))}/s`, period: "60s" })),
    fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max: 4 * max })).map(([base, value]) => ({ shape: "spikes", base: `${base}/s`, spikes: [{ at: "10s", for: "5s", value: `${value}/s` }] })),
  );

const recordSize = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((b) => ({ dist: "fixed", size: `${b}B` })),
  fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 0, max: 5_000 })).map(([a, d]) => ({ dist: "uniform", min: `${a}B`, max: `${a + d}B` })),
  fc.tuple(fc.integer({ min: 50, max: 2_000 }), fc.integer({ min: 1, max: 20 })).map(([m, f]) => ({ dist: "lognormal", median: `${m}B`, p99: `${m * f}B` })),
);

const partitionKey = fc.oneof(
  fc.constant({ kind: "random" }),
  fc.tuple(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 2, noNaN: true })).map(([keys, exponent]) => ({ kind: "zipf", keys, exponent })),
  fc.double({ min: 0.01, max: 0.9, noNaN: true }).map((share) => ({ kind: "hotKeys", keys: [{ key: "hot", share }] })),
);

const retry = fc.record({ maxAttempts: fc.integer({ min: 1, max: 5 }) });

/** A producer group writing to the stream `s` (or to the delivery stream `f` with Direct PUT). */
const producer = (i: number, direct: boolean, trace: boolean, maxRate: number) => {
  const base = { name: fc.constant(`p${i}`), instances: fc.integer({ min: 1, max: 50 }), recordSize, partitionKey };
  const rateOf: fc.Arbitrary<Record<string, unknown>> = trace ? fc.constantFrom<Record<string, unknown>>({ shape: "trace", file: "trace.csv" }, { shape: "trace", file: "trace.csv", within: "even" }, { shape: "trace", file: "trace.csv", within: "bursty", peakToMean: 3 }) : rate(maxRate);
  const sdk = fc.record({ ...base, client: fc.constant("sdk"), rate: rateOf, api: fc.constantFrom("PutRecords", "PutRecord"), linger: fc.constantFrom("0ms", "50ms", "200ms"), retry });
  const agent = fc.record({ ...base, client: fc.constant("agent"), rate: rateOf, agent: fc.record({ maxBufferAge: fc.constantFrom("1s", "5s"), linesPerRecord: fc.integer({ min: 1, max: 3 }) }) });
  const kpl = fc.record({
    ...base,
    client: fc.constant("kpl"),
    rate: rateOf,
    kpl: fc.record({ aggregationEnabled: fc.boolean(), recordTtl: fc.constantFrom("1s", "5s", "30s"), failIfThrottled: fc.boolean(), rateLimit: fc.constantFrom(50, 100, 150) }),
  });
  const clients = direct ? fc.oneof(sdk, agent) : fc.oneof(sdk, agent, kpl);
  return clients.map((p) => {
    // Direct PUT records are at most 1,000 KiB; keep sizes well under.
    const out: Record<string, unknown> = direct ? { ...p, deliveryStream: "f" } : p;
    return out;
  });
};

/** A consumer's sink (`sink:`), or none. */
const sink = fc.constantFrom<Record<string, unknown> | undefined>(
  undefined,
  undefined,
  { kind: "dynamodb", table: { capacity: "provisioned", write: 50, burst: "1s" }, retry: { limit: 2, backoff: "1s" } },
  { kind: "dynamodb", table: { capacity: "onDemand" } },
  { kind: "s3", buffer: { records: 500, age: "5s" } },
  { kind: "opensearch", throughput: "1MiB/s" },
  { kind: "redshift", copy: { fixed: "1s", perMiB: "100ms" } },
);

const withSink = (c: Record<string, unknown>, s: Record<string, unknown> | undefined) => (s ? { ...c, sink: s } : c);

/** A sink as a Lambda function takes it: without the Connector's buffer (or checkpoint), which it refuses. */
const functionSink = (s: Record<string, unknown> | undefined) => {
  if (!s) return s;
  const { buffer: _b, checkpoint: _c, ...rest } = s;
  return rest;
};

const consumer = (i: number) =>
  fc.oneof(
    fc
      .tuple(
        fc.record({
          name: fc.constant(`c${i}`),
          kind: fc.constant("kcl"),
          workers: fc.integer({ min: 1, max: 3 }),
          checkpoint: fc.constantFrom({}, { every: "5s" }, { records: 1000 }),
          processing: fc.record({ perRecord: fc.constantFrom("0ms", "0.1ms", "2ms"), perBatch: fc.constantFrom("0ms", "20ms") }),
          poll: fc.record({ interval: fc.constantFrom("200ms", "1s") }),
          kcl: fc.record({ version: fc.constantFrom(2, 3) }),
        }),
        sink,
      )
      .map(([c, s]) => withSink(c, s)),
    fc
      .tuple(fc.record({ name: fc.constant(`c${i}`), kind: fc.constant("fanout"), processing: fc.record({ perRecord: fc.constantFrom("0ms", "0.1ms") }), kcl: fc.record({ version: fc.constantFrom(2, 3) }) }), sink)
      .map(([c, s]) => withSink(c, s)),
    fc
      .tuple(
        fc.record({
          name: fc.constant(`c${i}`),
          kind: fc.constant("lambda"),
          startingPosition: fc.constantFrom("LATEST", "TRIM_HORIZON"),
          reader: fc.constantFrom("polling", "polling", "fanout"),
          batchSize: fc.constantFrom(10, 100, 1000),
          parallelization: fc.integer({ min: 1, max: 3 }),
          maximumRetryAttempts: fc.constantFrom(-1, 0, 2),
          bisectBatchOnFunctionError: fc.boolean(),
          function: fc.record({ concurrency: fc.constantFrom({ reserved: 2 }, {}), errors: fc.record({ share: fc.constantFrom(0, 0.05), poisonRecords: fc.constantFrom(0, 0, 0.001) }) }),
        }),
        sink,
      )
      .map(([c, s]) => withSink(c, functionSink(s))),
  );

const destination = fc.oneof(
  fc.constant({ kind: "s3" }),
  fc.constant({ kind: "redshift", copy: { fixed: "1s", perMiB: "100ms" } }),
  fc.integer({ min: 1, max: 20 }).map((m) => ({ kind: "opensearch", throughput: `${m}MiB/s` })),
);

const firehose = (direct: boolean) =>
  fc.record({
    name: fc.constant("f"),
    source: fc.constant(direct ? "direct-put" : "s"),
    buffer: fc.record({ size: fc.constantFrom("1MiB", "5MiB"), interval: fc.constantFrom("0s", "10s", "60s") }),
    destination,
    transform: fc.option(fc.record({ results: fc.record({ dropped: fc.constantFrom(0, 0.1), processingFailed: fc.constantFrom(0, 0.05) }), buffer: fc.record({ interval: fc.constantFrom("0s", "5s") }) }), { nil: undefined }),
  }).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));

const traceCsv = (seconds: number) =>
  fc.tuple(fc.constantFrom(5, 10, 20), fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 2, maxLength: 40 }), fc.boolean()).map(([period, counts, bytes]) => {
    const rows = Math.max(2, Math.ceil(seconds / period) + (counts.length % 3));
    const lines = Array.from({ length: rows }, (_, i) => {
      const r = counts[i % counts.length]!;
      return bytes ? `${i * period},${r},${r * 400}` : `${i * period},${r}`;
    });
    return `${bytes ? "time,records,bytes" : "time,records"}\n${lines.join("\n")}\n`;
  });

/** A small scenario over the whole language. */
export const scenarioArbitrary: fc.Arbitrary<Generated> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    seconds: fc.integer({ min: 20, max: 60 }),
    warmup: fc.integer({ min: 0, max: 10 }),
    shards: fc.integer({ min: 1, max: 4 }),
    mode: fc.constantFrom("provisioned", "provisioned", "on-demand"),
    producers: fc.integer({ min: 1, max: 2 }),
    direct: fc.boolean(),
    trace: fc.boolean(),
    consumers: fc.integer({ min: 0, max: 2 }),
    firehose: fc.constantFrom("none", "stream", "direct"),
    reshard: fc.constantFrom("none", "split", "merge", "update-shard-count", "switch-mode"),
    autoscaling: fc.constantFrom("none", "scaling-utils", "cloudwatch-alarms"),
    faultAt: fc.integer({ min: 1, max: 100 }),
    fault: fc.constantFrom("none", "worker-crash", "worker-restart", "worker-add", "function-errors", "destination-outage", "destination-slowdown", "lambda-errors"),
    window: fc.constantFrom("100ms", "100ms", "50ms", "250ms"),
  })
  .chain((k) => {
    const hasStream = !(k.firehose === "direct" && k.direct && k.producers === 1 && k.consumers === 0);
    const producers = fc.tuple(
      ...Array.from({ length: k.producers }, (_, i) => producer(i, k.firehose === "direct" && k.direct && i === 0, k.trace && i === k.producers - 1, 1_500 * k.shards)),
    );
    const consumers = fc.tuple(...Array.from({ length: hasStream ? k.consumers : 0 }, (_, i) => consumer(i)));
    const fh = k.firehose === "none" || (k.firehose === "stream" && !hasStream) ? fc.constant(undefined) : firehose(k.firehose === "direct");
    const trace = k.trace ? traceCsv(k.seconds).map((t) => t as string | undefined) : fc.constant(undefined);
    return fc.tuple(fc.constant(k), producers, consumers, fh, trace);
  })
  .map(([k, producers, consumers, fh, trace]) => {
    const at = Math.min(k.faultAt, k.seconds - 1);
    const hasStream = producers.some((p) => !p.deliveryStream) || consumers.length > 0;
    const scenario: Record<string, unknown> = {
      name: "property",
      seed: k.seed,
      duration: `${k.seconds}s`,
      warmup: `${Math.min(k.warmup, k.seconds - 1)}s`,
      fidelity: { window: k.window },
      producers,
    };
    if (hasStream) scenario.stream = { name: "s", shards: k.shards, mode: k.mode };
    if (consumers.length > 0) scenario.consumers = consumers;
    const directWriter = producers.some((p) => p.deliveryStream === "f");
    if (fh && (fh.source === "direct-put" ? directWriter : hasStream)) scenario.firehose = [fh];
    const fhOn = scenario.firehose !== undefined;
    const faults: Record<string, unknown>[] = [];
    const c0 = consumers[0] as { kind: string } | undefined;
    if ((k.fault === "worker-crash" || k.fault === "worker-restart") && c0 && c0.kind !== "lambda") {
      faults.push({ at: `${at}s`, kind: "worker-crash", consumer: "c0" });
      if (k.fault === "worker-restart" && at + 1 < k.seconds) faults.push({ at: `${at + 1}s`, kind: "worker-restart", consumer: "c0" });
    }
    if (k.fault === "worker-add" && c0 && c0.kind !== "lambda") faults.push({ at: `${at}s`, kind: "worker-add", consumer: "c0", workers: 1 });
    if (k.fault === "function-errors" && c0?.kind === "lambda") faults.push({ at: `${at}s`, kind: "function-errors", consumer: "c0", for: "10s", share: 0.5 });
    if ((k.fault === "destination-outage" || k.fault === "destination-slowdown") && fhOn) faults.push({ at: `${at}s`, kind: k.fault, firehose: "f", for: "20s", ...(k.fault === "destination-slowdown" ? { factor: 5 } : {}) });
    if (k.fault === "lambda-errors" && fhOn && (scenario.firehose as Record<string, unknown>[])[0]!.transform) faults.push({ at: `${at}s`, kind: "lambda-errors", firehose: "f", for: "10s", share: 0.5 });
    if (faults.length > 0) scenario.faults = faults;
    if (hasStream && k.mode === "provisioned") {
      const r = k.reshard;
      if (r === "split") scenario.reshards = [{ at: `${at}s`, kind: "split", shard: 0 }];
      if (r === "merge" && k.shards >= 2) scenario.reshards = [{ at: `${at}s`, kind: "merge", shards: [0, 1] }];
      if (r === "update-shard-count") scenario.reshards = [{ at: `${at}s`, kind: "update-shard-count", target: k.shards * 2 }];
      if (r === "switch-mode") scenario.reshards = [{ at: `${at}s`, kind: "switch-mode", mode: "on-demand" }];
      // A policy does not scale a stream that switches mode (not simulated yet: the scenario check refuses it).
      if (r !== "switch-mode" && k.autoscaling === "scaling-utils") scenario.autoscaling = [{ policy: "scaling-utils", checkInterval: 30, scaleUp: { scaleThresholdPct: 50, scaleAfterMins: 1, scaleCount: 1 }, scaleDown: { scaleThresholdPct: 10, scaleAfterMins: 1, scaleCount: 1 } }];
      if (r !== "switch-mode" && k.autoscaling === "cloudwatch-alarms") scenario.autoscaling = [{ policy: "cloudwatch-alarms", scalePeriodMins: 1 }];
    }
    return { scenario, ...(trace && producers.some((p) => (p.rate as { shape: string }).shape === "trace") ? { traceCsv: trace } : {}) };
  });

/** For batch vs record granularity: SDK and Agent groups at a constant, even rate well below the stream's limits. */
export const belowLimitsArbitrary = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    seconds: fc.integer({ min: 10, max: 40 }),
    shards: fc.integer({ min: 1, max: 3 }),
    client: fc.constantFrom("sdk", "agent"),
    perShard: fc.integer({ min: 1, max: 400 }),
    instances: fc.integer({ min: 1, max: 8 }),
    size: fc.integer({ min: 10, max: 800 }),
  })
  .map((k) => ({
    name: "fidelity",
    seed: k.seed,
    duration: `${k.seconds}s`,
    stream: { name: "s", shards: k.shards },
    producers: [{ name: "p", client: k.client, instances: k.instances, rate: { shape: "constant", value: `${k.perShard * k.shards}/s`, arrivals: "even" }, recordSize: { dist: "fixed", size: `${k.size}B` } }],
  }));
