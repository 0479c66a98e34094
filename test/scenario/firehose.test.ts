// The `firehose:` section of a scenario: defaults from the service (Firehose developer guide; docs/limits.md) and clear errors that name
// the line, the field and what is allowed.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError, type Problem } from "../../src/scenario/index.js";

const BASE = [
  "name: fh", //                                         1
  "duration: 10m", //                                    2
  "stream: { name: clicks, shards: 2 }", //              3
  "producers:", //                                       4
  "  - name: web", //                                    5
  "    client: sdk", //                                  6
  '    rate: { shape: constant, value: "1000/s" }', //   7
  "    recordSize: { dist: fixed, size: 1KiB }", //      8
  "firehose:", //                                        9
  "  - name: archive", //                               10
  "    source: clicks", //                              11
];
const yaml = (lines: string[]) => `${lines.join("\n")}\n`;

function problems(lines: string[]): Problem[] {
  try {
    parseScenario(yaml(lines), "scenarios/fh.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("firehose defaults", () => {
  it("a minimal delivery stream reading the stream gets the service's defaults", () => {
    const f = parseScenario(yaml(BASE), "fh.yaml").firehose[0]!;
    expect(f.buffer).toEqual({ size: 5 * 1_048_576, interval: 300_000_000 }); // 5 MiB / 300 s
    expect(f.destination.kind).toBe("s3");
    expect(f.retryInterval).toBe(5_000_000);
    expect(f.quotas).toBeUndefined();
    expect(f.transform).toBeUndefined();
  });

  it("transform defaults: 1 MB / 60 s buffer, 3 retries, everything Ok, same size", () => {
    const f = parseScenario(yaml([...BASE, "    transform: {}"]), "fh.yaml").firehose[0]!;
    expect(f.transform!.buffer).toEqual({ size: 1_000_000, interval: 60_000_000 });
    expect(f.transform!.retries).toBe(3);
    expect(f.transform!.results).toEqual({ dropped: 0, processingFailed: 0 });
    expect(f.transform!.sizeFactor).toBe(1);
    expect(f.transform!.concurrency).toBeUndefined();
  });

  it("Redshift retries for 3,600 s by default, OpenSearch for 300 s", () => {
    const rs = parseScenario(yaml([...BASE, "    destination: { kind: redshift }"]), "fh.yaml").firehose[0]!.destination;
    const os = parseScenario(yaml([...BASE, "    destination: { kind: opensearch }"]), "fh.yaml").firehose[0]!.destination;
    expect(rs.kind === "redshift" && rs.retryDuration).toBe(3_600_000_000);
    expect(os.kind === "opensearch" && os.retryDuration).toBe(300_000_000);
  });

  it("Direct PUT quotas default to us-east-1's 500,000 records/s, 2,000 requests/s, 5 MiB/s when given partly", () => {
    const lines = [...BASE.slice(0, 8), "    deliveryStream: logs", "firehose:", "  - name: logs", "    source: direct-put", "    quotas: { bytes: 1MiB/s }"];
    const f = parseScenario(yaml(lines), "fh.yaml").firehose[0]!;
    expect(f.quotas).toEqual({ records: 500_000, requests: 2_000, bytes: 1_048_576 });
  });
});

describe("firehose errors", () => {
  it("a buffer size above 128 MiB names the range", () => {
    const [p] = problems([...BASE, "    buffer: { size: 256MiB }"]);
    expect(p!.line).toBe(12);
    expect(p!.path).toBe("firehose[0].buffer.size");
    expect(p!.message).toContain("1 MiB to 128 MiB");
  });

  it("an OpenSearch destination buffers at most 100 MiB", () => {
    const [p] = problems([...BASE, "    buffer: { size: 128MiB }", "    destination: { kind: opensearch }"]);
    expect(p!.path).toBe("firehose[0].buffer.size");
    expect(p!.message).toContain("at most 100 MiB");
  });

  it("a buffer interval above 900 s (15 min) names the range", () => {
    const [p] = problems([...BASE, "    buffer: { interval: 20m }"]);
    expect(p!.path).toBe("firehose[0].buffer.interval");
    expect(p!.message).toBe('"20m" is out of range: allowed 0 µs to 15 min');
  });

  it("a source that is neither direct-put nor the stream", () => {
    const lines = [...BASE];
    lines[10] = "    source: clickz";
    const [p] = problems(lines);
    expect([p!.line, p!.path]).toEqual([11, "firehose[0].source"]);
    expect(p!.message).toBe('source must be direct-put or the stream\'s name "clicks", got "clickz"');
  });

  it("quotas on a delivery stream that reads the stream", () => {
    const [p] = problems([...BASE, "    quotas: { records: 1000/s }"]);
    expect(p!.path).toBe("firehose[0].quotas");
    expect(p!.message).toContain("Direct PUT only");
  });

  it("a producer naming an unknown delivery stream lists the known ones", () => {
    const lines = [...BASE.slice(0, 8), "    deliveryStream: archiv", ...BASE.slice(8)];
    const ps = problems(lines);
    const p = ps.find((x) => x.path === "producers[0].deliveryStream")!;
    expect(p.line).toBe(9);
    expect(p.message).toBe('no delivery stream named "archiv" (delivery streams: archive)');
  });

  it("a producer writing to a delivery stream that reads the Kinesis stream", () => {
    const lines = [...BASE.slice(0, 8), "    deliveryStream: archive", ...BASE.slice(8)];
    const [p] = problems(lines);
    expect(p!.path).toBe("producers[0].deliveryStream");
    expect(p!.message).toContain("PutRecord and PutRecordBatch are disabled");
  });

  it("a Direct PUT delivery stream nobody writes to", () => {
    const lines = [...BASE];
    lines[10] = "    source: direct-put";
    const [p] = problems(lines);
    expect(p!.path).toBe("firehose[0].source");
    expect(p!.message).toBe('no producer writes to "archive": give a producer `deliveryStream: archive`');
  });

  it("transform shares that add up to more than 1", () => {
    const [p] = problems([...BASE, "    transform: { results: { dropped: 0.7, processingFailed: 0.5 } }"]);
    expect(p!.path).toBe("firehose[0].transform.results");
  });

  it("a retry duration above 7,200 s", () => {
    const [p] = problems([...BASE, "    destination: { kind: opensearch, retryDuration: 3h }"]);
    expect(p!.path).toBe("firehose[0].destination.retryDuration");
    expect(p!.message).toBe('"3h" is out of range: allowed 0 µs to 2 h');
  });

  it("faults must name a delivery stream, and lambda-errors one with a transform", () => {
    const unknown = problems([...BASE, "faults:", "  - { at: 1m, kind: destination-outage, firehose: archiv, for: 5m }"]);
    expect(unknown[0]!.path).toBe("faults[0].firehose");
    expect(unknown[0]!.message).toBe('no delivery stream named "archiv" (delivery streams: archive)');
    const noLambda = problems([...BASE, "faults:", "  - { at: 1m, kind: lambda-errors, firehose: archive, for: 5m, share: 0.5 }"]);
    expect(noLambda[0]!.message).toBe('delivery stream "archive" has no transform, so there is no Lambda to fail');
  });

  it("duplicate delivery stream names", () => {
    const [p] = problems([...BASE, "  - name: archive", "    source: clicks"]);
    expect(p!.path).toBe("firehose[1].name");
    expect(p!.message).toBe('duplicate delivery stream name "archive"');
  });

  describe("a scenario without a stream (Firehose Direct PUT only)", () => {
    // BASE without line 3 (the stream), the producer writing to a Direct PUT delivery stream.
    const noStream = (extra: string[] = [], deliveryStream = true) => [
      ...BASE.slice(0, 2),
      ...BASE.slice(3, 8),
      ...(deliveryStream ? ["    deliveryStream: archive"] : []),
      "firehose:",
      "  - name: archive",
      "    source: direct-put",
      ...extra,
    ];

    it("is valid when every producer writes to a delivery stream", () => {
      const sc = parseScenario(yaml(noStream()), "fh.yaml");
      expect(sc.stream).toBeUndefined();
      expect(sc.firehose[0]!.source).toBe("direct-put");
    });

    it("rejects a producer that would write to the missing stream, and says what to do", () => {
      const [p] = problems(noStream([], false)).filter((x) => x.path === "producers[0]");
      expect(p!.message).toBe('producer "web" writes to the Kinesis stream, but the scenario has no `stream:` section: add one, or give it `deliveryStream:` (Direct PUT)');
      expect(p!.line).toBe(4);
    });

    it("rejects consumers and a delivery stream reading a stream", () => {
      const consumers = problems([...noStream(), "consumers:", "  - { name: app, kind: kcl }"]);
      expect(consumers.map((p) => p.message)).toContain("consumers read the Kinesis stream, but the scenario has no `stream:` section");
      const reading = problems([...noStream(), "  - name: copy", "    source: clicks"]);
      expect(reading.map((p) => [p.path, p.message])).toContainEqual(["firehose[1].source", 'source must be direct-put: the scenario has no `stream:` section for "clicks" to read']);
    });
  });
});
