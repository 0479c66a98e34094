// Issue 11: records lost for being too large are named in the verdict, whatever the SLOs, so a run cannot lose a
// third of its records with only a percentage to show for it.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run.js";
import { runSummary } from "../../src/report/summary.js";
import { scenarioOf } from "../model/scenarioOf.js";

describe("records lost for their size", () => {
  it("are counted by reason in report.md's verdict and the CLI's summary, without any SLO", () => {
    // Sizes uniform from 512 KiB to 1.5 MiB: those above 1 MiB less the key (about half) do not fit the stream's
    // 1 MiB maxRecordSize and are lost for their size.
    const scenario = scenarioOf({
      duration: "2m",
      warmup: "0s",
      stream: { shards: 4 },
      producers: [{ name: "web", client: "sdk", instances: 2, rate: { shape: "constant", value: "2/s" }, recordSize: { dist: "uniform", min: "512KiB", max: "1536KiB" } }],
    });
    const out = runScenario(scenario, { scenarioFile: "t.yaml", scenarioSha256: "0" });
    const lost = out.result.producers[0]!.lost.tooLarge;
    // 240 records; the share above 1 MiB − 36 B is (1536 − 1024) / 1024 = 50% (binomial: ±4σ = ±31).
    expect(Math.abs(lost - 120)).toBeLessThanOrEqual(31);
    expect(out.files["report.md"]).toContain(`(whole run: ${lost.toLocaleString("en-US")} larger than the record size limit where they were written (the stream's maxRecordSize, partition key included`);
    expect(runSummary(out.result, out.verdict)).toMatch(new RegExp(`records lost: [\\d.]+% after warmup \\(whole run: ${lost.toLocaleString("en-US")} larger than the record size limit`));
  });
});
