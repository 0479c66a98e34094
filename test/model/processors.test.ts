// Stream processors (kind flink, kind spark) against their connectors' documented defaults and closed forms
// (docs/limits.md: FlinkKinesisConsumer, KinesisStreamsSource, the Spark connector of Amazon EMR).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { checkScenario, parseScenario } from "../../src/scenario/load.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { hashAssign, javaStringHash, uniformAssign } from "../../src/model/processors/shardAssigner.js";
import { ScenarioSchema } from "../../src/spec/index.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;

function run(input: Record<string, unknown>): RunResult {
  return simulate(scenarioOf(input));
}

/** Java's String.hashCode by its documented formula, s[0]·31^(n−1) + … + s[n−1] as a 32-bit signed int (BigInt, no shortcuts). */
function javaHashByFormula(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h += BigInt(s.charCodeAt(i)) * 31n ** BigInt(s.length - 1 - i);
  return Number(BigInt.asIntN(32, h));
}

const writes = (rate: string, size = "200B") => ({ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: rate }, recordSize: { dist: "fixed", size } });
const fixed20 = { dist: "fixed", value: "20ms" };

describe("shard assignment", () => {
  it("javaStringHash('hello') is 99162322 and 'Aa' and 'BB' collide at 2112, as Java's String.hashCode", () => {
    expect(javaStringHash("hello")).toBe(99162322);
    expect(javaStringHash("Aa")).toBe(2112);
    expect(javaStringHash("BB")).toBe(2112);
    for (const s of ["orders", "shardId-000000000000", "shardId-000000001234", "a-very-long-stream-name-that-overflows-int"]) expect(javaStringHash(s)).toBe(javaHashByFormula(s));
  });

  it("hashAssign is abs((37 × (37 × 17 + hash(stream)) + hash(shard id)) mod parallelism), Java int arithmetic", () => {
    for (const [stream, shard, p] of [["orders", "shardId-000000000000", 3], ["clicks", "shardId-000000000011", 4], ["x", "shardId-000000000002", 7]] as const) {
      const h = BigInt.asIntN(32, 37n * BigInt.asIntN(32, 37n * 17n + BigInt(javaHashByFormula(stream))) + BigInt(javaHashByFormula(shard)));
      expect(hashAssign(stream, shard, p)).toBe(Math.abs(Number(h % BigInt(p))));
    }
  });

  it("uniformAssign puts 4 even shards on 2 subtasks as 0, 0, 1, 1 and on 3 as 0, 1, 1, 2 (middle of the range × n / 2^128)", () => {
    const quarter = 2n ** 126n;
    const ranges = [0n, 1n, 2n, 3n].map((i) => ({ start: i * quarter, end: (i + 1n) * quarter - 1n }));
    expect(ranges.map((r) => uniformAssign(r, 2))).toEqual([0, 0, 1, 1]);
    expect(ranges.map((r) => uniformAssign(r, 3))).toEqual([0, 1, 1, 2]);
  });
});

describe("Flink's default 200 ms polling shares the shard's 5 calls/s", () => {
  const base = { duration: "6m", warmup: "1m", stream: { name: "orders", shards: 1 }, producers: [writes("200/s")] };
  const flink = { name: "job", kind: "flink", poll: { latency: fixed20 } };

  it("alone, FlinkKinesisConsumer calls GetRecords every 200 ms: 5 calls/s per shard, none throttled", () => {
    const r = run({ ...base, consumers: [flink] });
    const c = r.consumers[0]!;
    expect(c.kind).toBe("flink");
    expect(c.readThrottles).toBe(0);
    // The loop's period is 200 ms from the start of a call (the 20 ms call and the processing fit inside it).
    expect(c.getRecordsCalls / 300).toBeCloseTo(1 / 0.2, 1);
    expect(c.leaseTable).toBeUndefined();
    expect(c.accounting.balanced).toBe(true);
  });

  it("with a KCL app polling 1.5 s after each response, the shard is asked for 5 + 1/1.52 calls/s: at most 5 succeed, the excess is throttled", () => {
    const r = run({ ...base, consumers: [flink, { name: "kcl", kind: "kcl", poll: { latency: fixed20 } }] });
    const seconds = 300;
    const [job, kcl] = r.consumers as [RunResult["consumers"][number], RunResult["consumers"][number]];
    const calls = job.getRecordsCalls + kcl.getRecordsCalls;
    const throttled = job.readThrottles + kcl.readThrottles;
    // Successful calls: the shard's bucket admits 5 a second (and its 5-call burst once).
    const ok = (calls - throttled) / seconds;
    expect(ok).toBeLessThanOrEqual(5 + 5 / seconds);
    expect(ok).toBeGreaterThan(4.9);
    // Demand without throttling: 1 / 0.2 s + 1 / (1.5 s + 0.02 s) = 5.658 calls/s. Every call above the 5 admitted is
    // refused at least once, so the throttled share of all calls is at least (D − 5) / D = 11.6%.
    const demand = 1 / 0.2 + 1 / 1.52;
    expect(throttled / calls).toBeGreaterThanOrEqual((demand - 5) / demand);
    expect(judge(r).consumers.map((v) => v.bottleneck)).toContain("shard read calls");
  });

  it("KinesisStreamsSource fetches again at once after records: alone on a busy shard it asks for more than 5 calls/s", () => {
    const r = run({ ...base, consumers: [{ ...flink, connector: "KinesisStreamsSource" }] });
    const c = r.consumers[0]!;
    expect(c.readThrottles).toBeGreaterThan(0);
    expect(c.accounting.balanced).toBe(true);
  });

  it("with enhanced fan-out it takes none of the shared calls: the KCL app is not throttled", () => {
    const r = run({ ...base, consumers: [{ ...flink, reader: "efo" }, { name: "kcl", kind: "kcl", poll: { latency: fixed20 } }] });
    expect(r.consumers[0]!.getRecordsCalls).toBe(0);
    expect(r.consumers[0]!.subscribeCalls).toBeGreaterThan(0);
    expect(r.consumers[1]!.readThrottles).toBe(0);
  });
});

describe("scenarios/flink-and-lambda.yaml: a Flink job and two Lambda functions share each shard's 5 calls/s", () => {
  const file = "scenarios/flink-and-lambda.yaml";
  const text = readFileSync(join(import.meta.dirname, "..", "..", file), "utf8");
  const sample = parseScenario(text, file);
  const shards = 4;
  const seconds = (sample.duration - sample.warmup) / S;
  /** GetRecords calls per shard-second after warmup: all, and admitted. */
  const perShard = (c: RunResult["consumers"][number]) => ({ calls: c.getRecordsCalls / shards / seconds, ok: (c.getRecordsCalls - c.readThrottles) / shards / seconds });
  const only = (...names: string[]) => simulate({ ...sample, consumers: sample.consumers.filter((c) => names.includes(c.name)) });
  // A Lambda poller calls again 1 s after each response; the sample's GetRecords round trip is lognormal, median
  // 20 ms, p99 100 ms: σ = ln 5 / 2.3263, mean 20 ms × e^(σ²/2) = 25.4 ms.
  const sigma = Math.log(5) / 2.326348;
  const lambdaRate = 1 / (1 + 0.02 * Math.exp((sigma * sigma) / 2));
  // The Flink loop sleeps what is left of 200 ms in whole milliseconds (PollingRecordPublisher.adjustRunLoopFrequency),
  // so it lasts 200 ms and the part of a millisecond of its round trip: spread over many milliseconds, that part is
  // about uniform, 0.5 ms on average.
  const flinkRate = 1 / 0.2005;
  const demand = flinkRate + 2 * lambdaRate;

  it("alone, each asks its closed form: the Flink job 1/0.2005 = 4.99 calls/s per shard, each Lambda 1/1.0254 = 0.975, none throttled; together 6.94 > 5", () => {
    const flink = only("sessionizer").consumers[0]!;
    expect(flink.readThrottles).toBe(0);
    expect(perShard(flink).calls).toBeCloseTo(flinkRate, 2);
    for (const name of ["alerts", "archive"]) {
      const fn = only(name).consumers[0]!;
      expect(fn.kind).toBe("lambda");
      expect(fn.readThrottles).toBe(0);
      expect(Math.abs(perShard(fn).calls - lambdaRate)).toBeLessThan(0.005);
    }
    expect(demand).toBeCloseTo(6.94, 2);
  });

  it("together the shard admits 5 calls a second (and its 5-call burst once), refuses at least (6.94 − 5)/6.94 of the calls, and the Lambdas are the ones refused", () => {
    const r = simulate(sample);
    const [flink, alerts, archive] = r.consumers as [RunResult["consumers"][number], RunResult["consumers"][number], RunResult["consumers"][number]];
    expect([flink.kind, alerts.kind, archive.kind]).toEqual(["flink", "lambda", "lambda"]);
    const all = [flink, alerts, archive];
    const ok = all.reduce((a, c) => a + perShard(c).ok, 0);
    expect(ok).toBeLessThanOrEqual(5 + 5 / seconds);
    expect(ok).toBeGreaterThan(4.95);
    // Every call above the 5 admitted a second is refused at least once.
    const calls = all.reduce((a, c) => a + c.getRecordsCalls, 0);
    const throttled = all.reduce((a, c) => a + c.readThrottles, 0);
    expect(throttled / calls).toBeGreaterThanOrEqual((demand - 5) / demand);
    // What the Flink job is admitted the functions are not: their calls together get the rest of the 5.
    expect(perShard(alerts).ok + perShard(archive).ok).toBeLessThanOrEqual(5 + 5 / seconds - perShard(flink).ok);
    // Who is refused: the Flink loop calls every 200 ms and a fraction of a millisecond, about as often as the bucket
    // refills, and keeps most of the 5; each function is admitted less than its 0.975 calls/s and refused a larger share.
    expect(perShard(flink).ok).toBeGreaterThan(4);
    for (const fn of [alerts, archive]) {
      expect(perShard(fn).ok).toBeLessThan(lambdaRate / 2);
      expect(fn.readThrottles / fn.getRecordsCalls).toBeGreaterThan((3 * flink.readThrottles) / flink.getRecordsCalls);
    }
    expect(judge(r).consumers.map((v) => v.bottleneck)).toEqual(["shard read calls", "shard read calls", "shard read calls"]);
    for (const c of all) expect(c.accounting.balanced).toBe(true);
  });

  it("with the Flink job on enhanced fan-out (the sample's --set) it takes no shared calls, and the functions' 2 × 0.975 calls/s fit: none throttled", () => {
    const r = simulate(parseScenario(text.replace("    parallelism: 2\n", "    parallelism: 2\n    reader: efo\n"), file));
    const [flink, ...fns] = r.consumers;
    expect(flink!.getRecordsCalls).toBe(0);
    expect(flink!.subscribeCalls).toBeGreaterThan(0);
    for (const fn of fns) {
      expect(fn.readThrottles).toBe(0);
      expect(Math.abs(perShard(fn).calls - lambdaRate)).toBeLessThan(0.005);
    }
  });
});

describe("a subtask processes its shards' records one batch at a time", () => {
  // 4 shards of 500 records/s, 0.6 ms a record: a subtask with k shards needs k × 500 × 0.6 ms = 0.3 k s of work per
  // second. Parallelism 3 puts two shards on one subtask (0.6 s/s, keeps up); at 1.2 ms a record that subtask needs
  // 1.2 s/s and falls behind, while parallelism 4 (one shard each, 0.6 s/s) keeps up.
  const base = (perRecord: string, parallelism: number) => ({
    duration: "8m",
    warmup: "1m",
    stream: { name: "orders", shards: 4 },
    producers: [writes("2000/s")],
    consumers: [{ name: "job", kind: "flink", parallelism, processing: { perRecord }, poll: { latency: fixed20 } }],
  });

  it("hash assignment of 4 shards to 3 subtasks gives one subtask 2 shards", () => {
    const r = run(base("0.6ms", 3));
    const shards = r.consumers[0]!.processor!.shardsPerWorker;
    expect([...shards].sort()).toEqual([1, 1, 2]);
    const p = 3;
    const expected = [0, 1, 2].map((w) => [0, 1, 2, 3].filter((i) => hashAssign("orders", `shardId-00000000000${i}`, p) === w).length);
    expect(shards).toEqual(expected);
  });

  it("at 1.2 ms a record the 2-shard subtask needs 1.2 s of work a second: the verdict names processing; with 4 subtasks it keeps up", () => {
    const slow = run(base("1.2ms", 3));
    expect(judge(slow).consumers[0]!.bottleneck).toBe("processing");
    expect(slow.consumers[0]!.maxOldestUnprocessedAge).toBeGreaterThan(60 * S);
    const enough = run(base("1.2ms", 4));
    expect(judge(enough).consumers[0]!.bottleneck).toBe("none");
    expect(enough.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(5 * S);
  });
});

describe("checkpoints and shard discovery", () => {
  it("checkpoints every 60 s by default (Managed Service for Apache Flink), with no lease table and no DynamoDB cost", () => {
    const r = run({ duration: "10m", warmup: "0s", stream: { shards: 2 }, producers: [writes("100/s")], consumers: [{ name: "job", kind: "flink" }] });
    expect(r.consumers[0]!.processor!.checkpoints).toBe(10);
    expect(r.cost.items.some((i) => /lease/i.test(i.item))).toBe(false);
  });

  it("a split's children are read from the next discovery (every 10 s): no record waits much more than that", () => {
    const input = (discovery: string) => ({
      duration: "5m",
      warmup: "0s",
      stream: { name: "orders", shards: 2 },
      producers: [writes("400/s")],
      reshards: [{ at: "60s", kind: "split", shard: "shardId-000000000000" }],
      consumers: [{ name: "job", kind: "flink", discovery, poll: { latency: fixed20 } }],
    });
    const quick = run(input("10s"));
    const c = quick.consumers[0]!;
    expect(c.accounting.balanced).toBe(true);
    expect(c.accounting.unread).toBeLessThan(400);
    expect(c.maxOldestUnprocessedAge).toBeLessThan(11 * S);
    // The split is called at 60 s and done 30 s later (the stream's default split duration): the children take
    // writes from 90 s. With a 2-minute discovery they are found at 120 s, so their first records wait 30 s.
    const slow = run(input("2m"));
    const waited = slow.consumers[0]!.maxOldestUnprocessedAge / S;
    expect(waited).toBeGreaterThanOrEqual(29);
    expect(waited).toBeLessThanOrEqual(31);
  });
});

describe("Spark Structured Streaming micro-batches", () => {
  it("with a 10 s trigger a record waits about half a trigger for its micro-batch: put → processed p50 near 5 s", () => {
    const r = run({
      duration: "10m",
      warmup: "1m",
      stream: { shards: 2 },
      producers: [writes("200/s")],
      consumers: [{ name: "etl", kind: "spark", cores: 2, trigger: "10s", poll: { latency: fixed20 } }],
    });
    const c = r.consumers[0]!;
    expect(c.kind).toBe("spark");
    expect(c.accounting.balanced).toBe(true);
    // Micro-batches start every 10 s (each one's reading and processing take far less): about 60 in 10 minutes,
    // each committing the connector's metadata once.
    expect(c.processor!.microBatches).toBeGreaterThanOrEqual(58);
    expect(c.processor!.microBatches).toBeLessThanOrEqual(60);
    // Arrivals uniform over the 10 s between batch starts wait 5 s on average, plus a call or two.
    expect(c.putToProcess.p50 / S).toBeGreaterThan(4);
    expect(c.putToProcess.p50 / S).toBeLessThan(6);
    expect(c.leaseTable).toBeUndefined();
  });
});

describe("scenario checks", () => {
  const parse = (consumer: Record<string, unknown>, faults: unknown[] = []) =>
    ScenarioSchema.safeParse({ name: "t", seed: 1, duration: "1m", stream: { shards: 1 }, producers: [writes("10/s")], consumers: [consumer], faults });

  it("parallelism 0 is refused with its field and range", () => {
    const r = parse({ name: "job", kind: "flink", parallelism: 0 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(/parallelism/);
    expect(JSON.stringify(r.error!.issues)).toMatch(/>=1/);
  });

  it("a sink on a stream processor is refused, naming the kinds that take one; the same sink on the KCL app parses", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "scenarios", "flink-processor.yaml"), "utf8");
    const flink = checkScenario(text.replace("    kind: flink\n", "    kind: flink\n    sink: { kind: s3 }\n"), "x.yaml");
    expect(flink.ok).toBe(false);
    if (!flink.ok) expect(flink.problems.map((p) => p.message)).toEqual(["unknown field `sink` for `kind: flink`; it belongs to kind one of kcl, fanout, lambda"]);
    const spark = checkScenario(text.replace("    kind: flink\n    parallelism: 2\n", "    kind: spark\n    sink: { kind: s3 }\n"), "x.yaml");
    expect(spark.ok).toBe(false);
    if (!spark.ok) expect(spark.problems.map((p) => p.message)).toEqual(["unknown field `sink` for `kind: spark`; it belongs to kind one of kcl, fanout, lambda"]);
    const kcl = checkScenario(text.replace("workers: 2, checkpoint: { every: 10s } }", "workers: 2, sink: { kind: s3 } }"), "x.yaml");
    const billing = kcl.ok ? kcl.scenario.consumers[1] : undefined;
    expect(billing?.kind === "kcl" ? billing.sink?.kind : undefined).toBe("s3");
  });

  it("a worker crash of a Flink job is refused: worker faults apply to KCL applications", () => {
    const r = parse({ name: "job", kind: "flink" }, [{ at: "10s", kind: "worker-crash", consumer: "job", workers: 1 }]);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(/apply to KCL applications/);
  });
});
