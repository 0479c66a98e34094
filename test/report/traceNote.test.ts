// The producer note of a trace replay says what the run replays: the periods it starts (looped when the trace
// repeats), their records and their mean size, not the whole trace's; a Kinesis Agent's trace is read as lines and
// sent as records of linesPerRecord lines. Every figure below is computed by hand from the trace.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

// 6 periods of 10 s: 100, 200, 300, 400, 5,000 and 600 records of 500, 500, 1,000, 1,000, 1,000 and 1,000 B.
// Periods 1–3: 600 records, 450,000 B → 750 B. The whole trace: 6,600 records, 6,450,000 B → 977 B.
const trace = { periodUs: 10_000_000, records: [100, 200, 300, 400, 5000, 600], bytes: [50_000, 100_000, 300_000, 400_000, 5_000_000, 600_000] };
const traces = new Map([["t.csv", trace]]);

const run = (duration: string, producer: Record<string, unknown>, repeat = false) => {
  const r = simulateScenario(
    scenarioOf({
      duration,
      warmup: "0s",
      stream: { name: "s", shards: 10 },
      producers: [{ name: "web", client: "sdk", instances: 1, rate: { shape: "trace", file: "t.csv", within: "even", repeat }, ...producer }],
    }),
    { traces },
  );
  const md = buildReportMarkdown(r, PROVENANCE);
  return { r, note: md.split("\n").find((l) => l.startsWith("- **web**"))! };
};

describe("a trace replay's producer note", () => {
  it("a 30 s run of the 60 s trace replays periods 1–3: 600 records of 750 B on average, periods 4–6 (and the 5,000-record spike) not in it", () => {
    const { r, note } = run("30s", {});
    expect(r.producers[0]!.offered).toBe(600);
    expect(note).toContain("periods 1–3 of its 6 periods of 10 s (1 min, 6,600 records) in the 30 s run: 600 records in those periods");
    expect(note).toContain("(750 B on average in the periods replayed)");
    expect(note).toContain("The run ends before the trace does: periods 4–6 are not in it.");
  });

  it("a 90 s run of the repeating trace covers 9 periods: 2 × 600 + 6,600 = 7,200 records, 6,900,000 B → 958 B", () => {
    const { r, note } = run("90s", {}, true);
    expect(r.producers[0]!.offered).toBe(7200);
    expect(note).toContain("the 1 min 30 s run covers 9 periods, 7,200 records in them");
    expect(note).toContain("(958 B on average in the periods replayed)");
  });

  it("a run ending inside a period says so: 25 s is periods 1–3, the last for 5 s", () => {
    const { note } = run("25s", {});
    expect(note).toContain("periods 1–3 (the run ends 5 s into the last) of its 6 periods");
  });

  it("a Kinesis Agent joining 5 lines reads 600 lines and sends 120 records of 5 × 750 B = 3,750 B (3.66 KiB)", () => {
    const { r, note } = run("30s", { client: "agent", agent: { linesPerRecord: 5 } });
    expect(r.producers[0]!.offered).toBe(120);
    expect(note).toContain("reads t.csv as lines: periods 1–3 of its 6 periods of 10 s (1 min, 6,600 lines) in the 30 s run: 600 lines in those periods");
    expect(note).toContain("line sizes from each period's bytes ÷ lines (750 B on average in the periods replayed); sent as records of 5 lines (3.66 KiB each on average)");
  });
});
