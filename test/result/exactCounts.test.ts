// Counts that stay exact (issue 14): a trace period may hold at most 1e9 records/s × its length, a trace's scale may
// not push it past that, a count past 2^53 − 1 fails the run with an explicit error instead of balancing by float
// rounding, and a run at the largest rate a scenario may say accounts exactly.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { account, CountOverflowError } from "../../src/result/accounting.js";
import type { ProducerModel } from "../../src/model/producers/producer.js";
import { emptyStats } from "../../src/model/producers/producer.js";
import { runScenarioText } from "../../src/run.js";
import { MAX_OFFERED_RECORDS_PER_SECOND } from "../../src/spec/traffic.js";
import { cli } from "../cli/runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-counts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function traceScenario(name: string, middle: string, scale = 1): string {
  const dir = join(tmp, name);
  const out = join(dir, "out");
  writeFileSync(join(tmp, `${name}.csv`), `time,records\n0,10\n60,${middle}\n120,5\n`);
  writeFileSync(
    join(tmp, `${name}.yaml`),
    `name: ${name}\nduration: 3m\nstream: { name: s, shards: 1 }\nproducers:\n  - name: p\n    client: sdk\n    rate: { shape: trace, file: ${name}.csv, scale: ${scale} }\n    recordSize: { dist: fixed, size: 100B }\n`,
  );
  return out;
}

describe("a trace period holds at most 1e9 records/s × its length", () => {
  it("MAX_OFFERED_RECORDS_PER_SECOND is 100 × 10,000 shards × 1,000 records/s", () => {
    expect(MAX_OFFERED_RECORDS_PER_SECOND).toBe(1e9);
  });

  it.each(["1e18", "1e25", "1e40", "1e300"])("%s records in a 60 s period: a scenario error at the trace's line 3, column 4, with the allowed range", async (v) => {
    const name = `t${v.replace(/\W/g, "")}`;
    const out = traceScenario(name, v);
    const r = await cli("run", join(tmp, `${name}.yaml`), "--out", out, "--no-charts", "--quiet");
    expect(r.code).toBe(1);
    // 60 s × 1e9 records/s = 60,000,000,000 records at most.
    // The count as written (1e+18), and the rate it makes: ÷ 60 s.
    expect(r.stderr).toContain(`${name}.csv:3:4: records: ${Number(v).toExponential()} in one period is ${(Number(v) / 60).toExponential(3)} records/s`);
    expect(r.stderr).toContain("allowed: 0 to 60,000,000,000 (1e+9 records/s");
    expect(r.stderr).toMatch(new RegExp(`${name}\\.yaml:\\d+:\\d+: producers\\[0\\]\\.rate\\.file`));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it("60,000,000,000 in a 60 s period (exactly 1e9 records/s) is allowed; a scale that doubles it is not", async () => {
    traceScenario("edge", "60000000000", 2);
    const r = await cli("validate", join(tmp, "edge.yaml"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("producers[0].rate.scale: scale 2 makes the busiest period of edge.csv 2.000e+9 records/s; allowed: at most 1e+9 records/s, so scale ≤ 1.00");
    traceScenario("edge1", "60000000000", 1);
    expect((await cli("validate", join(tmp, "edge1.yaml"))).code).toBe(0);
  });
});

describe("counts past 2^53 − 1 fail the run explicitly", () => {
  const producer = (offered: number, accepted: number): ProducerModel => ({ stats: { ...emptyStats(), offered, accepted } }) as unknown as ProducerModel;

  it("2^53 − 1 offered and accepted balances", () => {
    const n = Number.MAX_SAFE_INTEGER;
    expect(account([producer(n, n)]).balanced).toBe(true);
  });

  it("2^53 + 2 offered is a CountOverflowError naming the count, not a balance by rounding", () => {
    // 2^53 + 2 = 2^53 + 1 + 1 in floats: the off-by-one the issue saw "balance".
    const n = 2 ** 53 + 2;
    expect(n - 1 === n - 2 + 1).toBe(true);
    expect(() => account([producer(n, n - 1)])).toThrow(CountOverflowError);
    expect(() => account([producer(n, n)])).toThrow(/offered is 9\.007e\+15 records, past 2\^53 − 1 = 9,007,199,254,740,991/);
  });
});

describe("a run at the largest rate a scenario may say accounts exactly", () => {
  it("1e9 records/s evenly for 20 s offers 2e10 records, every one accounted for", () => {
    const text = `name: max-rate\nseed: 1\nduration: 20s\nfidelity: { window: 1s }\nstream: { name: s, shards: 2 }\nproducers:\n  - { name: p, client: sdk, retry: { maxAttempts: 1 }, rate: { shape: constant, value: 1000000000/s, arrivals: even }, recordSize: { dist: fixed, size: 1B } }\n`;
    const { result } = runScenarioText(text, { scenarioFile: "max-rate.yaml", scenarioSha256: "0" });
    const a = result.accounting;
    expect(a.offered).toBe(2e10);
    const lost = a.lost.throttledPastRetries + a.lost.tooLarge + a.lost.expiredKplTtl + a.lost.failedThrottled;
    expect(a.accepted + a.inFlight.buffered + a.inFlight.awaitingRetry + lost).toBe(a.offered);
    // Two shards take 1,000 records/s each (plus a second's burst): at most 2 × 1,000 × 21 records in 20 s.
    expect(a.accepted).toBeLessThanOrEqual(2 * 1000 * 21);
    expect(a.balanced).toBe(true);
  });
});
