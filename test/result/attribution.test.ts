// Issue 11: each missed SLO is blamed on where the time went. Every case here is built to have one cause, and the
// judgement must name it: a producer backlog before the stream, a consumer waiting for its next read, a consumer
// busy processing, a Firehose buffer waiting for its interval, a destination that is down.
import { describe, expect, it } from "vitest";
import { judge, type SloCause, type SloVerdict } from "../../src/result/judge.js";
import { runScenario, simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;

function missed(input: Record<string, unknown>, slo: string): SloVerdict {
  const v = judge(simulateScenario(scenarioOf(input))).slos.find((s) => s.name === slo);
  expect(v, `SLO ${slo} judged`).toBeDefined();
  expect(v!.met, `SLO ${slo} missed`).toBe(false);
  return v!;
}

function stagesOf(v: SloVerdict): Extract<SloCause, { kind: "stages" }> {
  expect(v.cause?.kind).toBe("stages");
  return v.cause as Extract<SloCause, { kind: "stages" }>;
}

/** 200 records/s of 200 B to one shard, far below its limits. */
const light = { name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: "200/s" }, recordSize: { dist: "fixed", size: "200B" } };

describe("end-to-end latency is blamed on the stage the slow records spent their time in", () => {
  it("a consumer polling every 10 s: read wait (records wait ~5 s on average, up to 10 s, for the next GetRecords)", () => {
    const v = missed(
      {
        duration: "5m",
        warmup: "30s",
        stream: { shards: 1 },
        producers: [light],
        consumers: [{ name: "slowpoll", kind: "kcl", poll: { interval: "10s" } }],
        slo: { endToEndP99: "2s" },
      },
      "endToEndP99",
    );
    const c = stagesOf(v);
    expect(v.of).toBe("slowpoll");
    expect(c.stage).toBe("readWait");
    // The slowest 1% waited close to the full 10 s poll period: their mean read wait is between 9 and 10.5 s.
    expect(c.stagesUs.readWait! / S).toBeGreaterThan(9);
    expect(c.stagesUs.readWait! / S).toBeLessThan(10.5);
  });

  it("a record processor that takes 3 s a batch (plus 1 ms a record): processing", () => {
    // Each processRecords call takes 3 s + 1 ms × its records; the next batch is fetched meanwhile, so a record
    // waits for the batch ahead of it and then its own: several seconds processing, against one 200 ms poll.
    const v = missed(
      {
        duration: "5m",
        warmup: "30s",
        stream: { shards: 1 },
        producers: [light],
        consumers: [{ name: "busy", kind: "kcl", poll: { interval: "200ms" }, processing: { perRecord: "1ms", perBatch: "3s" } }],
        slo: { endToEndP99: "2s" },
      },
      "endToEndP99",
    );
    const c = stagesOf(v);
    expect(c.stage).toBe("processing");
    expect(c.stagesUs.processing! / c.tailMeanUs).toBeGreaterThan(0.6);
  });

  it("an Agent tailing logs at 3× a shard's record limit for a minute: the records wait before the stream (producer backlog)", () => {
    // 3,000 records/s for a minute into a 1,000 records/s shard: the Agent's backlog takes two more minutes to
    // drain, and the consumer, polling every 200 ms, reads each record as soon as it is in.
    const v = missed(
      {
        duration: "6m",
        warmup: "30s",
        stream: { shards: 1 },
        producers: [
          {
            name: "agent",
            client: "agent",
            instances: 1,
            rate: { shape: "step", levels: [{ at: "0s", value: "300/s" }, { at: "1m", value: "3000/s" }, { at: "2m", value: "300/s" }] },
            recordSize: { dist: "fixed", size: "100B" },
          },
        ],
        consumers: [{ name: "fast", kind: "kcl", poll: { interval: "200ms" } }],
        slo: { endToEndP99: "5s" },
      },
      "endToEndP99",
    );
    const c = stagesOf(v);
    expect(c.stage).toBe("beforeStream");
    // Most of the tail's time is spent before the stream, not at the consumer.
    expect(c.stagesUs.beforeStream! / c.tailMeanUs).toBeGreaterThan(0.9);
  });
});

describe("delivery latency is blamed on the Firehose stage that held the records", () => {
  const directPut = { name: "app", client: "sdk", instances: 2, rate: { shape: "poisson", value: "100/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "fh" };

  it("a 300 s buffer interval at 100 KiB/s (the 128 MiB size hint is never reached): buffer", () => {
    const v = missed(
      {
        duration: "20m",
        warmup: "1m",
        producers: [directPut],
        firehose: [{ name: "fh", source: "direct-put", buffer: { size: "128MiB", interval: "300s" }, destination: { kind: "s3" } }],
        slo: { deliveryP99: "60s" },
      },
      "deliveryP99",
    );
    const c = stagesOf(v);
    expect(v.of).toBe("fh");
    expect(c.stage).toBe("buffer");
    // The slowest 1% entered a buffer just after it opened: close to 300 s in it.
    expect(c.stagesUs.buffer! / S).toBeGreaterThan(290);
    expect(c.stagesUs.buffer! / S).toBeLessThanOrEqual(300.5);
  });

  it("an OpenSearch domain down for 10 minutes behind a 60 s buffer: destination, named in the verdict", () => {
    const v = missed(
      {
        duration: "30m",
        warmup: "1m",
        producers: [directPut],
        firehose: [{ name: "fh", source: "direct-put", buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "opensearch", retryDuration: "7200s" } }],
        faults: [{ at: "10m", kind: "destination-outage", firehose: "fh", for: "10m" }],
        slo: { deliveryP99: "120s" },
      },
      "deliveryP99",
    );
    expect(stagesOf(v).stage).toBe("destination");
  });
});

describe("a Firehose delivery stream's bottleneck", () => {
  it("is its destination when Redshift COPYs (5 s + 30 s per MiB, one at a time) cannot keep up with ~2 MiB/s and records are left staged at the end", () => {
    const scenario = scenarioOf({
      duration: "20m",
      warmup: "1m",
      producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "fh" }],
      firehose: [{ name: "fh", source: "direct-put", buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "redshift", copy: { fixed: "5s", perMiB: "30s" } } }],
      slo: { firehoseNotDeliveredPercent: 0 },
    });
    const out = runScenario(scenario, { scenarioFile: "test.yaml", scenarioSha256: "0" });
    const f = out.verdict.firehose[0]!;
    expect(f.bottleneck).toBe("destination");
    const s = out.verdict.slos.find((x) => x.name === "firehoseNotDeliveredPercent")!;
    expect(s.met).toBe(false);
    expect(s.cause).toMatchObject({ kind: "delivery" });
    expect((s.cause as Extract<SloCause, { kind: "delivery" }>).reasons.overdueAtEnd).toBeGreaterThan(0);
    expect(out.files["report.md"]).toMatch(/Amazon Redshift/);
  });
});
