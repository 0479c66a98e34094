// On-demand's maximum write throughput depends on the Region (Kinesis quotas and limits,
// https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html): "In US East (N. Virginia), US West
// (Oregon), and Europe (Ireland) AWS Regions, data streams with the on-demand capacity mode scale up to 10 GB/s of write
// and 20 GB/s read throughput. For other Regions, data streams with the on-demand capacity mode scale up to 200 MB/s of
// write and 400 MB/s read throughput", raised "up to 10 GB/s" by a support ticket. At a shard's 1 MiB/s, 200 MB/s is
// ceil(200,000,000 ÷ 1,048,576) = ceil(190.73) = 191 shards. Before, every stream took 10 GB/s (9,537 shards), whatever
// the scenario's region.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { parseScenario, ScenarioError, type Problem } from "../../src/scenario/index.js";
import { onDemandMaxWrite } from "../../src/spec/index.js";
import { PROVENANCE } from "../report/runResultFixture.js";

const S = 1_000_000;
const MiB = 1_048_576;
const SYDNEY_SHARDS = Math.ceil(200_000_000 / MiB);

/** A scenario file: an on-demand stream with `onDemand` settings, in `region` (none: the default). */
const text = (onDemand: string, region?: string, rate = "10/s") =>
  [
    "name: region",
    "seed: 5",
    "duration: 4s",
    ...(region ? [`region: ${region}`] : []),
    `stream: { name: s, mode: on-demand, onDemand: { ${onDemand} } }`,
    "producers:",
    // 64 KiB records with 36-byte keys: 65,572 B each; 3,813 a second offer 250.0 MB/s.
    `  - { name: p, client: sdk, instances: 4, rate: { shape: constant, value: ${rate} }, recordSize: { dist: fixed, size: 64KiB }, partitionKey: { kind: random, length: 36 } }`,
    "",
  ].join("\n");

const problems = (t: string): Problem[] => {
  try {
    parseScenario(t, "region.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  return [];
};

describe("an on-demand stream in ap-southeast-2: 200 MB/s of writes, 191 shards", () => {
  it("starts with at most 191 shards from its previous peak (twice 150 MB/s would need 287), and us-east-1's 287", () => {
    expect(SYDNEY_SHARDS).toBe(191);
    expect(parseScenario(text("previousPeak: 150MB/s", "ap-southeast-2"), "region.yaml").stream!.shards).toBe(SYDNEY_SHARDS);
    expect(parseScenario(text("previousPeak: 150MB/s"), "region.yaml").stream!.shards).toBe(Math.ceil(300_000_000 / MiB));
    const sydney = parseScenario(text("previousPeak: 150MB/s", "ap-southeast-2"), "region.yaml");
    expect(onDemandMaxWrite(sydney.stream!, sydney.region)).toBe(200_000_000);
  });

  // Twice a previous peak of 90 MB/s starts ceil(180,000,000 ÷ 2^20) = 172 shards; 250 MB/s offered puts every shard
  // over the 500 KB/s split trigger, and twice the peak would need 477 shards.
  const surge = (region?: string) => simulateScenario(parseScenario(text("previousPeak: 90MB/s, checkInterval: 1s, scaleDelay: 2s", region, "3813/s"), "region.yaml"));

  it("its service's splits stop at 191 open shards, and the run notes the ceiling with its Region", () => {
    const r = surge("ap-southeast-2");
    expect(r.stream.openShards).toMatchObject({ atStart: 172, atEnd: SYDNEY_SHARDS });
    expect(r.reshards[0]).toMatchObject({ by: "on-demand", calledAtUs: 1 * S, openAfter: SYDNEY_SHARDS });
    expect(r.onDemandCeiling).toMatchObject({ shards: SYDNEY_SHARDS, bytesPerSecond: 200_000_000, by: "on-demand maximum", region: "ap-southeast-2", regionStated: true, raised: false });
  });

  it("report.md says why: on-demand's documented maximum in ap-southeast-2, 200 MB/s, and how a ticket raises it", () => {
    const line = buildReportMarkdown(surge("ap-southeast-2"), PROVENANCE)
      .split("\n")
      .find((l) => l.startsWith("- **The on-demand service's splits stopped at the mode's ceiling**"))!;
    expect(line).toContain(
      "191 open shards at most, what on-demand's documented maximum in ap-southeast-2, 200 MB/s of writes (190.73 MiB/s), needs at 1 MiB/s a shard (Kinesis quotas and limits: 10 GB/s in us-east-1, us-west-2 and eu-west-1, 200 MB/s in other Regions unless a support ticket raises it up to 10 GB/s (state it in stream.onDemand.maxWriteThroughput))",
    );
    // The check at 0:00:01 found the 172 shards twice the 90 MB/s peak starts with, and split them up to the ceiling.
    expect(line).toContain("; 172 were open then, and its splits went up to the ceiling, no further.");
    // 191 shards × 1 MiB/s and × 1,000 records/s.
    expect(line).toContain("writes above 191 MiB/s or 191,000 records/s throttle");
  });

  it("in us-east-1 (the default) the same surge splits past 191 shards, with no ceiling", () => {
    const r = surge();
    expect(r.stream.openShards.atEnd).toBeGreaterThan(SYDNEY_SHARDS);
    expect(r.onDemandCeiling).toBeUndefined();
  });

  it("a raised maximum (maxWriteThroughput: 1GB/s) splits past 191, up to ceil(10^9 ÷ 2^20) = 954", () => {
    const s = parseScenario(text("previousPeak: 300MB/s, maxWriteThroughput: 1GB/s", "ap-southeast-2"), "region.yaml");
    expect(s.stream!.onDemand.maxWriteThroughput).toBe(1_000_000_000);
    expect(s.stream!.shards).toBe(Math.ceil(600_000_000 / MiB));
    const r = simulateScenario(parseScenario(text("previousPeak: 90MB/s, maxWriteThroughput: 1GB/s, checkInterval: 1s, scaleDelay: 2s", "ap-southeast-2", "3813/s"), "region.yaml"));
    expect(r.stream.openShards.atEnd).toBeGreaterThan(SYDNEY_SHARDS);
    expect(r.stream.openShards.atEnd).toBeLessThanOrEqual(Math.ceil(1e9 / MiB));
  });
});

describe("a raised maximum at its ceiling", () => {
  it("250 MB/s stated in ap-southeast-2: splits stop at ceil(2.5·10^8 ÷ 2^20) = 239, and the note says whose maximum it is", () => {
    const r = simulateScenario(parseScenario(text("previousPeak: 90MB/s, maxWriteThroughput: 250MB/s, checkInterval: 1s, scaleDelay: 2s", "ap-southeast-2", "5000/s"), "region.yaml"));
    expect(r.stream.openShards.atEnd).toBe(Math.ceil(250_000_000 / MiB));
    expect(r.onDemandCeiling).toMatchObject({ shards: 239, bytesPerSecond: 250_000_000, raised: true });
    const line = buildReportMarkdown(r, PROVENANCE)
      .split("\n")
      .find((l) => l.startsWith("- **The on-demand service's splits stopped at the mode's ceiling**"))!;
    expect(line).toContain(
      "239 open shards at most, what the raised on-demand maximum the scenario states for ap-southeast-2 (stream.onDemand.maxWriteThroughput), 250 MB/s of writes (238.42 MiB/s), needs at 1 MiB/s a shard (Kinesis quotas and limits: in Regions other than us-east-1, us-west-2 and eu-west-1, 200 MB/s unless a support ticket raises it, up to 10 GB/s)",
    );
  });
});

describe("what the scenario may say of the Region", () => {
  it("a previous peak above the Region's maximum is an error at its line, with the allowed range", () => {
    const [p, ...rest] = problems(text("previousPeak: 300MB/s", "ap-southeast-2"));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: "region.yaml", line: 5, path: "stream.onDemand.previousPeak" });
    expect(p!.message).toContain("more than on-demand's maximum write throughput in ap-southeast-2, 200 MB/s");
    expect(p!.message).toContain("allowed 0 B/s to 200 MB/s");
  });

  it("a maximum below 10 GB/s in us-east-1, us-west-2 or eu-west-1 is an error: there on-demand takes 10 GB/s", () => {
    for (const region of ["us-east-1", "us-west-2", "eu-west-1", undefined]) {
      const [p] = problems(text("maxWriteThroughput: 1GB/s", region));
      expect(p, region).toMatchObject({ path: "stream.onDemand.maxWriteThroughput" });
      expect(p!.message).toContain("on-demand takes 10 GB/s of writes in us-east-1".replace("us-east-1", region ?? "us-east-1"));
    }
    expect(problems(text("maxWriteThroughput: 10GB/s", "us-west-2"))).toEqual([]);
  });

  it("a malformed Region is an error naming the field and the form of a Region code", () => {
    const [p] = problems(text("previousPeak: 1MB/s", "ap_southeast-2"));
    expect(p).toMatchObject({ line: 4, path: "region" });
    expect(p!.message).toContain("region must be an AWS Region code such as us-east-1");
  });
});
