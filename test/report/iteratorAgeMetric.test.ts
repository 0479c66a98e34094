// The iterator-age chart's subtitle names the metric of the consumers it draws: Lambda's own IteratorAge for
// Lambda functions (not GetRecords.IteratorAgeMilliseconds or MillisBehindLatest), and each of a mix's metrics.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCharts } from "../../src/report/charts/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";

const root = join(import.meta.dirname, "..", "..");
const report = (name: string) => JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as ReportJson;
/** The subtitle's first sentence, its wrapped lines joined again. */
function metricSentence(name: string): string {
  const spec = runCharts(report(name)).find((c) => c.name === "iterator-age")!.spec as { title: { subtitle: string[] } };
  return spec.title.subtitle.join(" ").split(", highest over its shards")[0]!;
}

const POLLING = "GetRecords.IteratorAgeMilliseconds for polling (the age of the last record a call returned)";
const FAN_OUT = "MillisBehindLatest for fan-out";
const LAMBDA = "Lambda's IteratorAge for Lambda (for each batch, its last record's age when Lambda received it)";

describe("iterator-age subtitle", () => {
  it("three Lambda functions (lambda-consumer): Lambda's IteratorAge only", () => {
    expect(metricSentence("lambda-consumer")).toBe(LAMBDA);
  });
  it("a polling Flink job and two Lambda functions (flink-and-lambda): GetRecords' and Lambda's", () => {
    expect(metricSentence("flink-and-lambda")).toBe(`${POLLING}, ${LAMBDA}`);
  });
  it("KCL polling and fan-out (fanout-vs-polling): GetRecords' and MillisBehindLatest", () => {
    expect(metricSentence("fanout-vs-polling")).toBe(`${POLLING}, ${FAN_OUT}`);
  });
  it("KCL polling only (kcl-to-dynamodb): GetRecords' only", () => {
    expect(metricSentence("kcl-to-dynamodb")).toBe(POLLING);
  });
});
