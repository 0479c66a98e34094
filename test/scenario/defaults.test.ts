import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError } from "../../src/scenario/index.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/scenario/${name}`, import.meta.url), "utf8");

const QUICKSTART = `name: quickstart
duration: 10m
stream: { shards: 4 }
producers:
  - name: web
    client: sdk
    instances: 4
    rate: { shape: constant, value: "3000/s" }
    recordSize: { dist: fixed, size: 1KiB }
`;

describe("defaults of a minimal scenario", () => {
  const sc = parseScenario(QUICKSTART, "quickstart.yaml");
  const first = sc.producers[0]!;
  if (first.client !== "sdk") throw new Error("the fixture's producer is an SDK producer");
  const web = first;

  it("converts the given fields to bytes, microseconds and records per second", () => {
    expect(sc.duration).toBe(600_000_000);
    expect(sc.stream!.shards).toBe(4);
    expect(web.instances).toBe(4);
    expect(web.rate).toEqual({ shape: "constant", value: 3_000, arrivals: "even" });
    expect(web.recordSize).toEqual({ dist: "fixed", size: 1_024 });
  });

  it("gives the stream 24h retention (86,400,000,000 µs), 1 MiB records and provisioned mode", () => {
    expect(sc.stream!.retention).toBe(86_400_000_000);
    expect(sc.stream!.maxRecordSize).toBe(1_048_576);
    expect(sc.stream!.mode).toBe("provisioned");
    expect(sc.stream!.writeBurst).toBe(1_000_000);
    expect(sc.stream!.name).toBeUndefined();
  });

  it("gives an SDK producer PutRecords batches of 500 records, 10 MiB requests (PutRecords' limit since the 2025-10 API) and a 100 ms linger", () => {
    expect(web.api).toBe("PutRecords");
    expect(web.maxBatchRecords).toBe(500);
    expect(web.maxRequestSize).toBe(10_485_760);
    expect(web.linger).toBe(100_000);
  });

  it("keeps the real clients' own request sizes: KPL CollectionMaxSize 5,242,880 B, Kinesis Agent maxBufferSizeBytes 5 MiB", () => {
    // KPL default_config.properties (CollectionMaxSize = 5242880); Kinesis Agent KinesisConstants.java
    // (MAX_BUFFER_SIZE_BYTES = MAX_PUT_RECORDS_SIZE_BYTES = 5 * 1024 * 1024). Only the SDK application's default is shardcast's choice.
    const clients = parseScenario(
      `name: clients
duration: 1m
stream: { shards: 1 }
producers:
  - { name: k, client: kpl, rate: { shape: constant, value: "10/s" }, recordSize: { dist: fixed, size: 100B } }
  - { name: a, client: agent, rate: { shape: constant, value: "10/s" }, recordSize: { dist: fixed, size: 100B } }
`,
      "clients.yaml",
    );
    const [kpl, agent] = clients.producers;
    if (kpl?.client !== "kpl" || agent?.client !== "agent") throw new Error("expected a KPL and an agent producer");
    expect(kpl.kpl.collectionMaxSize).toBe(5_242_880);
    expect(agent.agent.maxBufferSizeBytes).toBe(5 * 1_048_576);
  });

  it("retries with the AWS SDK standard mode: 3 attempts, 100 ms base, 20 s cap", () => {
    expect(web.retry).toEqual({ maxAttempts: 3, base: 100_000, cap: 20_000_000 });
  });

  it("uses random 36-character partition keys and a lognormal put latency (median 20 ms, p99 100 ms)", () => {
    expect(web.partitionKey).toEqual({ kind: "random", length: 36 });
    expect(web.latency).toEqual({ dist: "lognormal", median: 20_000, p99: 100_000 });
  });

  it("runs with seed 1, no warmup, batch fidelity with a 100 ms window and no SLOs", () => {
    expect(sc.seed).toBe(1);
    expect(sc.warmup).toBe(0);
    expect(sc.fidelity).toEqual({ granularity: "batch", window: 100_000, mergeOldLogEntries: true });
    expect(sc.slo).toEqual({});
  });

  it("lets every default be overridden", () => {
    const text = `${QUICKSTART}    maxBatchRecords: 100
    retry: { maxAttempts: 5, base: 50ms, cap: 2s }
    partitionKey: { kind: zipf, keys: 1000 }
seed: 42
warmup: 1m
`.replace("stream: { shards: 4 }", "stream: { shards: 4, retention: 7d, maxRecordSize: 10MiB }");
    const custom = parseScenario(text, "custom.yaml");
    const p = custom.producers[0]!;
    if (p.client !== "sdk") throw new Error("expected an SDK producer");
    expect(custom.stream!.retention).toBe(604_800_000_000);
    expect(custom.stream!.maxRecordSize).toBe(10_485_760);
    expect(p.maxBatchRecords).toBe(100);
    expect(p.retry).toEqual({ maxAttempts: 5, base: 50_000, cap: 2_000_000 });
    expect(p.partitionKey).toEqual({ kind: "zipf", keys: 1_000, exponent: 1, prefix: "key-", names: "shuffled" });
    expect(custom.seed).toBe(42);
    expect(custom.warmup).toBe(60_000_000);
  });
});

describe("scenario fixtures", () => {
  it("reads the YAML and JSON quickstart fixtures to the same scenario", () => {
    const fromYaml = parseScenario(fixture("quickstart.yaml"), "test/fixtures/scenario/quickstart.yaml");
    const fromJson = parseScenario(fixture("quickstart.json"), "test/fixtures/scenario/quickstart.json");
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml).toEqual(parseScenario(QUICKSTART, "inline.yaml"));
  });

  it("accepts a byte-order mark and Windows line endings", () => {
    const crlf = `\uFEFF${QUICKSTART.replaceAll("\n", "\r\n")}`;
    expect(parseScenario(crlf, "windows.yaml")).toEqual(parseScenario(QUICKSTART, "unix.yaml"));
  });
});

describe("cross-field rules", () => {
  it("rejects a warmup as long as the run, at the warmup line", () => {
    const text = `${QUICKSTART}warmup: 10m\n`; // line 10: "warmup: 10m", value at column 9
    expect(() => parseScenario(text, "w.yaml")).toThrow(ScenarioError);
    expect(() => parseScenario(text, "w.yaml")).toThrow("w.yaml:10:9: warmup: warmup must be shorter than duration");
  });

  it("accepts a warmup shorter than the run", () => {
    expect(parseScenario(`${QUICKSTART}warmup: 9m\n`, "w.yaml").warmup).toBe(540_000_000);
  });

  it("rejects a retry cap below its base, pointing at the retry mapping since cap took its default", () => {
    const text = `${QUICKSTART}    retry: { base: 30s }\n`; // line 10, "{" at column 12
    expect(() => parseScenario(text, "r.yaml")).toThrow("r.yaml:10:12: producers[0].retry.cap: cap must be ≥ base");
  });

  it("reports bad values inside fields instead of crashing in the cross-field checks", () => {
    // A failed regex does not stop zod; the cross-field checks used to run on it and throw in BigInt("x").
    const hash = `${QUICKSTART}    partitionKey: { kind: explicit, hashKeys: [x] }\n`;
    expect(() => parseScenario(hash, "h.yaml")).toThrow(
      'h.yaml:10:48: producers[0].partitionKey.hashKeys[0]: an ExplicitHashKey is a decimal string of at most 39 digits; got "x"',
    );
    const steps = QUICKSTART.replace('{ shape: constant, value: "3000/s" }', "{ shape: step, levels: [] }");
    expect(() => parseScenario(steps, "s.yaml")).toThrow("s.yaml:8:34: producers[0].rate.levels: must have at least 1 item, got an empty list");
  });

  it("still applies the cross-field checks when the only other problem is an unknown key", () => {
    const text = `${QUICKSTART}warmup: 10m\ncolour: blue\n`;
    const problems = (() => {
      try {
        parseScenario(text, "c.yaml");
      } catch (e) {
        return (e as ScenarioError).problems.map((p) => p.path);
      }
      return [];
    })();
    expect(problems).toEqual(["warmup", "colour"]);
  });
});
