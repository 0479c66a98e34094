// A Lambda consumer that falls behind on its duration while some invocations time out (helper-116): the verdict named
// the busy lanes and gave no word of the timeouts, though each took a lane for the whole timeout and its batch was tried
// again whole. Batches of 1,000 records at 20 ms + 2 ms a record (2.02 s, variability 0.3: lognormal with σ =
// √ln(1 + 0.3²) = 0.294, median 2.02 ÷ e^(σ²/2) = 1.935 s) and an S3 put of median 300 ms, p99 2 s (σ = ln(2/0.3) ÷
// 2.326 = 0.816) against a 3 s timeout: a batch times out when compute + put > 3 s. By hand P(compute > 2.7 s) = P(Z >
// ln(2.7/1.935) ÷ 0.294 = 1.13) ≈ 13%, and the put's tail adds a few points more: about 15–20% of the invocations.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const run = (timeout: string) =>
  simulateScenario(
    scenarioOf({
      name: "lambda-s3",
      seed: 9,
      duration: "8m",
      warmup: "1m",
      stream: { name: "orders", shards: 4 },
      producers: [
        {
          name: "shop",
          client: "sdk",
          instances: 4,
          rate: { shape: "spikes", base: "1500/s", spikes: [{ at: "2m", for: "2m", value: "3500/s" }] },
          recordSize: { dist: "lognormal", median: "400B", p99: "2KiB" },
          partitionKey: { kind: "random" },
        },
      ],
      consumers: [
        {
          name: "archiver",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 1000,
          batchingWindow: "1s",
          function: { memory: "512MiB", timeout, duration: { perInvocation: "20ms", perRecord: "2ms", variability: 0.3 } },
          sink: { kind: "s3", putLatency: { dist: "lognormal", median: "300ms", p99: "2s" } },
        },
      ],
      slo: { endToEndP99: "30s" },
    }),
  );

const bullet = (r: ReturnType<typeof run>) =>
  buildReportMarkdown(r, PROVENANCE)
    .split("\n")
    .find((l) => l.startsWith("- Lambda consumer archiver"))!;

describe("a Lambda consumer falling behind on its duration while some invocations time out", () => {
  const r = run("3s");
  const fn = r.consumers[0]!.lambda!;

  it("says how many timed out, what happened to their batches and the lane time they took", () => {
    expect(fn.timeouts / fn.invocations).toBeGreaterThan(0.1);
    expect(fn.timeouts / fn.invocations).toBeLessThan(0.25);
    const line = bullet(r);
    expect(line).toContain("falls behind");
    const share = ((100 * fn.timeouts) / fn.invocations).toFixed(1);
    expect(line).toContain(`; besides, ${fn.timeouts.toLocaleString("en-US")} of its ${fn.invocations.toLocaleString("en-US")} invocations after warmup (${share}%) timed out at its 3 s timeout`);
    // Retries without limit and no bisection (the defaults): each batch is tried again whole; each timeout held its lane 3 s.
    expect(line).toContain("each its batch tried again whole: ");
    const minutes = Math.floor((fn.timeouts * 3) / 60);
    expect(line).toContain(`${minutes} min ${(fn.timeouts * 3) % 60} s of lane time on tries the timeout cut`);
    expect(line).toContain("A timeout above its longest durations, or smaller batches, would spend that time on records.");
  });

  it("with a timeout far above every duration, none times out and the sentence has no such clause", () => {
    const calm = run("60s");
    expect(calm.consumers[0]!.lambda!.timeouts).toBe(0);
    expect(bullet(calm) ?? "").not.toContain("timed out at its");
  });
});
