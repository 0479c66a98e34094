// A dataFreshness SLO met while a delivery stream's records inside grow is met so far: its DataFreshness rises at the
// end, and at that pace reaches the target after the end (ageRisingSoFar.test's rule, for a delivery stream).
//
// An SDK producer puts A = 1,000 records/s of 1 KiB (1,000 KiB/s) to a Direct PUT delivery stream whose destination,
// Amazon OpenSearch Service, indexes D = 800 KiB/s (a bulk request's fixed part 0 s), buffer 1 MiB or 60 s. Delivery is
// first in, first out: by time t it has delivered D × t bytes, and the oldest record inside is the one that came in at
// D × t ÷ A, so DataFreshness is t − D × t ÷ A, rising (A − D) ÷ A = 0.2 s a second, 12 s a minute. Run to 10:00 it is
// 0.2 × 600 = 120 s, plus a buffer's filling (1 MiB ÷ 1,000 KiB/s = 1.0 s) and a bulk request's (1 MiB ÷ 800 KiB/s =
// 1.3 s): about 122 s (SLO 5 min: met). At 0.2 s a second it reaches 300 s (300 − 122) ÷ 0.2 = 890 s after the end, at
// 1,490 s, 0:24:50; run to 30:00, it passes 300 s at about then and the SLO is missed. An OpenSearch domain indexing
// 1,200 KiB/s keeps up: met outright.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { runSummary } from "../../src/report/summary.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { buildReportJson } from "../../src/report/json.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

const run = (throughput: string, duration = "10m") =>
  simulateScenario(
    scenarioOf({
      duration,
      warmup: "1m",
      producers: [
        { name: "p", client: "sdk", deliveryStream: "archive", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } },
      ],
      firehose: [
        {
          name: "archive",
          source: "direct-put",
          buffer: { size: "1MiB", interval: "60s" },
          destination: { kind: "opensearch", throughput, requestLatency: { dist: "fixed", value: "0s" } },
        },
      ],
      slo: { dataFreshness: "5m" },
    }),
  );

describe("a delivery stream taking 1,000 KiB/s into an OpenSearch domain indexing 800 KiB/s, run to 10:00", () => {
  const r = run("800KiB/s");
  const v = verdictOf(r);
  const s = v.slos.find((x) => x.name === "dataFreshness")!;

  it("meets dataFreshness so far: about 122 s at the end, rising 0.2 s a second, reaching 5 min at about 0:24:50 (1,490 s)", () => {
    expect(s).toMatchObject({ met: true, of: "archive" });
    expect(Math.abs(s.actual - 122_000)).toBeLessThan(3_000);
    expect(s.onGrowingBacklog).toMatchObject({ deliveryStream: "archive" });
    expect(Math.abs(s.onGrowingBacklog!.ageRise!.perSecond - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(s.onGrowingBacklog!.ageRise!.reachesTargetAtUs / 1e6 - 1_490)).toBeLessThan(30);
  });

  it("report.md, the command line and report.json say so", () => {
    const md = buildReportMarkdown(r, provenance, v);
    expect(md).toMatch(
      /\*\*Verdict: all 1 SLOs met so far: max DataFreshness \(worst delivery stream\) is met while delivery stream archive's backlog grows: its age rises 1[12](\.\d)? s a minute at the end, and at that pace reaches its 5 min target at 0:2[45]:\d\d, after the end, so a longer run may miss it\.\*\*/,
    );
    expect(md).toMatch(/\| max DataFreshness \(worst: archive\) \| ≤ 5 min \| 2 min \d+ s \| yes, so far \(delivery stream archive's backlog grows, its age rising 1[12](\.\d)? s a minute: at that pace it reaches its 5 min target at 0:2[45]:\d\d\) \|/);
    expect(runSummary(r, v)).toMatch(/^test: all SLOs met so far \(dataFreshness: delivery stream archive's backlog grows, its age rising 1[12](\.\d)? s a minute/);
    const json = buildReportJson(r, provenance, v).verdict.slos.find((x) => x.name === "dataFreshness")!;
    expect(json).toMatchObject({ met: true, metSoFar: "growingBacklog", onGrowingBacklog: { deliveryStream: "archive" } });
    expect(Math.abs(json.onGrowingBacklog!.ageRise!.reachesTargetAtSeconds - 1_490)).toBeLessThan(30);
  });

  it("is true of a longer run: to 30:00 DataFreshness passes 5 min at about 0:24:50", () => {
    const long = run("800KiB/s", "30m");
    expect(verdictOf(long).slos.find((x) => x.name === "dataFreshness")!.met).toBe(false);
    const crosses = long.firehose[0]!.series.dataFreshness.findIndex((x) => x >= 300e6) * (long.resolutionUs / 1e6);
    expect(Math.abs(crosses - 1_490)).toBeLessThan(30);
  });
});

describe("an OpenSearch domain indexing 1,200 KiB/s keeps up", () => {
  it("meets dataFreshness outright", () => {
    const s = verdictOf(run("1200KiB/s")).slos.find((x) => x.name === "dataFreshness")!;
    expect(s.met).toBe(true);
    expect(s.onGrowingBacklog).toBeUndefined();
  });
});
