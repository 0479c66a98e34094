// Warnings about valid scenarios (src/spec/warnings.ts, placed by src/scenario): the account's shard quota. The
// quotas page (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html) gives a default of
// 20,000 shards per account in us-east-1, us-west-2 and eu-west-1, and "1,000 or 6,000" in every other Region;
// the quota is per account and Region, so every provisioned stream of the scenario counts.
import { describe, expect, it } from "vitest";
import { parseScenario, regionOf, ScenarioError, scenarioWarnings, scenarioWarningsIn, shardsAgainstQuota, type Problem } from "../../src/scenario/index.js";

const producer = ["producers:", "  - { name: web, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }"];

/** A scenario file with `streams` (shard counts) in `region` (none: the default), and extra top-level lines. */
function file(streams: number[], region?: string, extra: string[] = []): string {
  const lines = ["name: quota", "duration: 1m", ...(region ? [`region: ${region}`] : []), ...extra];
  if (streams.length === 1) lines.push("stream:", `  shards: ${streams[0]}`);
  else lines.push("streams:", ...streams.map((s, i) => `  - { name: s${i}, shards: ${s} }`));
  lines.push(...producer.map((l, i) => (i === 1 && streams.length > 1 ? l.replace("client: sdk", "client: sdk, stream: s0") : l)));
  return `${lines.join("\n")}\n`;
}
const warnings = (text: string) => scenarioWarnings(parseScenario(text, "quota.yaml"));

describe("the account's shard quota", () => {
  it("25 streams × 1,000 shards in us-east-1 (the default Region) are over the documented 20,000: one warning on `streams`", () => {
    const w = warnings(file(new Array(25).fill(1_000)));
    expect(w).toHaveLength(1);
    expect(w[0]!.code).toBe("account-shard-quota");
    expect(w[0]!.path).toEqual(["streams"]);
    expect(w[0]!.message).toContain("25 streams with 25,000 shards in all");
    expect(w[0]!.message).toContain("default shard quota of 20,000 per account in us-east-1");
    expect(w[0]!.message).toContain("account.shardQuota");
  });

  it("exactly 20,000 shards fit in us-east-1, us-west-2 and eu-west-1; 20,001 do not", () => {
    for (const region of [undefined, "us-east-1", "us-west-2", "eu-west-1"]) {
      expect(warnings(file([10_000, 10_000], region)), region).toEqual([]);
      const w = warnings(file([10_000, 10_000, 1], region));
      expect(w.map((x) => x.message), region).toEqual([expect.stringContaining(`20,000 per account in ${region ?? "us-east-1"}`)]);
    }
  });

  it("1,001 shards in eu-central-1 warn that the quota there is 1,000 or 6,000 (which, AWS does not list); 1,000 do not", () => {
    expect(warnings(file([1_000], "eu-central-1"))).toEqual([]);
    const w = warnings(file([1_001], "eu-central-1"));
    expect(w).toHaveLength(1);
    expect(w[0]!.path).toEqual(["stream", "shards"]);
    expect(w[0]!.message).toContain("1,001 shards: more than 1,000");
    expect(w[0]!.message).toContain("1,000 or 6,000");
    expect(w[0]!.message).toContain("Service Quotas");
  });

  it("more than 6,000 shards outside the three Regions are over either default", () => {
    const w = warnings(file([6_001], "ap-south-1"));
    expect(w[0]!.message).toContain("more than either default shard quota per account in ap-south-1, 1,000 or 6,000");
    expect(warnings(file([3_000, 3_000], "ap-south-1"))[0]!.message).not.toContain("either");
  });

  it("account.shardQuota replaces the default: 50,000 silences 25,000 shards in us-east-1; 500 warns at 501 shards", () => {
    expect(warnings(file(new Array(25).fill(1_000), "us-east-1", ["account: { shardQuota: 50000 }"]))).toEqual([]);
    expect(warnings(file([1_001], "eu-central-1", ["account: { shardQuota: 6000 }"]))).toEqual([]);
    const w = warnings(file([501], "us-east-1", ["account: { shardQuota: 500 }"]));
    expect(w.map((x) => x.message)).toEqual([expect.stringContaining("more than the account's shard quota of 500 in us-east-1 (account.shardQuota)")]);
  });

  it("today a stream holds its shards for the whole run: the resharding hook counts the peak as it is", () => {
    expect(shardsAgainstQuota(1_234)).toBe(1_234);
  });

  it("a warning is placed at its field's line and column in the file, like a problem", () => {
    const one = file([1_001], "eu-central-1");
    expect(scenarioWarningsIn(one, "quota.yaml", parseScenario(one, "quota.yaml"))).toEqual([
      { file: "quota.yaml", line: 5, column: 11, path: "stream.shards", code: "account-shard-quota", message: expect.stringContaining("1,001 shards") },
    ]);
    const many = file(new Array(25).fill(1_000));
    expect(scenarioWarningsIn(many, "quota.yaml", parseScenario(many, "quota.yaml")).map((w) => [w.line, w.column, w.path])).toEqual([[4, 3, "streams"]]);
  });
});

describe("region", () => {
  function problems(text: string): Problem[] {
    try {
      parseScenario(text, "quota.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return [...e.problems];
      throw e;
    }
    throw new Error("expected the scenario to be rejected");
  }

  it("defaults to us-east-1 without appearing in the parsed scenario (reports echo only what the file says)", () => {
    const s = parseScenario(file([4]), "quota.yaml");
    expect(regionOf(s)).toBe("us-east-1");
    expect("region" in s).toBe(false);
    expect(regionOf(parseScenario(file([4], "ap-southeast-2"), "quota.yaml"))).toBe("ap-southeast-2");
    expect(regionOf(parseScenario(file([4], "us-gov-west-1"), "quota.yaml"))).toBe("us-gov-west-1");
  });

  it("must be an AWS Region code: a clear error at its line", () => {
    for (const bad of ["US-EAST-1", "us-east", "useast1", "Virginia"]) {
      const p = problems(file([4], bad));
      expect(p, bad).toHaveLength(1);
      expect(p[0]).toMatchObject({ line: 3, column: 9, path: "region" });
      expect(p[0]!.message).toContain("region must be an AWS Region code such as us-east-1");
      expect(p[0]!.message).toContain(`"${bad}"`);
    }
  });

  it("account.shardQuota is a whole number ≥ 1", () => {
    expect(problems(file([4], undefined, ["account: { shardQuota: 0 }"]))[0]).toMatchObject({ path: "account.shardQuota" });
    expect(problems(file([4], undefined, ["account: { shardQuota: 1.5 }"]))[0]).toMatchObject({ path: "account.shardQuota" });
  });
});

describe("a Region code that is no AWS Region (helper-87: `us-esat-1` passed the pattern and took 200 MB/s)", () => {
  it("warns on `region` for a misspelt code, naming the Regions of its prefix; nothing for a real one or none", () => {
    const w = warnings(file([4], "us-esat-1"));
    expect(w.map((x) => x.code)).toEqual(["unknown-region"]);
    expect(w[0]!.path).toEqual(["region"]);
    expect(w[0]!.message).toContain('region "us-esat-1" is not an AWS Region shardcast knows (us-east-1, us-east-2, us-west-1, us-west-2, us-gov-east-1, us-gov-west-1 are)');
    expect(w[0]!.message).toContain("200 MB/s of writes outside us-east-1, us-west-2, eu-west-1");
    for (const region of ["us-east-1", "ap-southeast-2", "eu-central-2", "mx-central-1", undefined]) expect(warnings(file([4], region))).toEqual([]);
  });
});
