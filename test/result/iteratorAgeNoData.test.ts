// helper-47: a KCL 3.x application whose lease table cannot assign leases (1 RCU, a second of burst: its leader's
// scans are throttled, no worker gets a lease) makes no GetRecords call, and its records wait to the end; CloudWatch
// publishes no iterator age while it does not call, and the SLO table read "iterator age, max 0 s — yes". No call is
// no data, not a pass.
import { describe, expect, it } from "vitest";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { runScenarioText } from "../../src/run.js";

const text = `name: no-getrecords
seed: 7
duration: 4m
warmup: 1m
stream: { name: s, shards: 40 }
producers:
  - { name: p, client: sdk, instances: 2, rate: { shape: poisson, value: 400/s }, recordSize: { dist: fixed, size: 500B } }
consumers:
  - name: c
    kind: kcl
    workers: 2
    processing: { perRecord: 0.1ms }
    checkpoint: { every: 10s }
    leaseTable: { capacity: provisioned, read: 1, write: 100, burst: 1s }
slo:
  maxIteratorAge: 30s
`;

describe("an iterator-age SLO of a consumer that made no GetRecords call after warmup", () => {
  const out = runScenarioText(text, { scenarioFile: "no-getrecords.yaml", scenarioSha256: "0" });
  const report = JSON.parse(out.files["report.json"]) as ReportJson;
  const md = out.files["report.md"];

  it("is not met, and marked as having no data", () => {
    const c = report.consumers[0]!;
    // The premise: no call after warmup, every record born after it still waiting (3 minutes × ~400 records/s).
    expect(c.afterWarmup.getRecordsCalls).toBe(0);
    const slo = report.verdict.slos.find((s) => s.name === "maxIteratorAge")!;
    expect(slo).toMatchObject({ of: "c", met: false, noData: true, actual: 0 });
    expect(report.verdict.slosMet).toBe(false);
  });

  it("its consumer row reads 'none' for put → processed (no record processed) and '≥' for end-to-end (all still waiting), not '0 s'", () => {
    const c = report.consumers[0]!;
    expect(c.putToProcess.count).toBe(0);
    const row = md.split("\n").find((l) => l.startsWith("| c | KCL"))!;
    const cells = row.split(" | ");
    // consumer, kind, workers, processed/s, end-to-end p50, p99, put → processed p50, …
    expect(cells[4]).toMatch(/^≥ /);
    expect(cells[5]).toMatch(/^≥ /);
    expect(cells[6]).toBe("none");
  });

  it("reads 'no data' in the SLO table, not a pass", () => {
    expect(md).toContain("| iterator age, max (worst: c) | ≤ 30 s | no data (no GetRecords call after warmup) | **no** (no data) |");
    expect(md).toMatch(/- iterator age, max \(c\): no data: consumer c made no GetRecords call after warmup/);
  });
});

describe("consumers that make no GetRecords call because records are pushed to them (enhanced fan-out)", () => {
  // A Flink job reading by EFO (reader: efo) and a KCL fan-out application: no GetRecords call, by design; their iterator
  // age is SubscribeToShardEvent's MillisBehindLatest. helper-50: the Flink job was taken for a silent poller and its SLO
  // read "no data", not met, while the same report said it kept up.
  const text = `name: efo-readers
seed: 7
duration: 3m
warmup: 1m
stream: { name: s, shards: 2 }
producers:
  - { name: p, client: sdk, instances: 2, rate: { shape: poisson, value: 400/s }, recordSize: { dist: fixed, size: 500B } }
consumers:
  - { name: job, kind: flink, reader: efo, parallelism: 2, processing: { perRecord: 0.1ms } }
  - { name: app, kind: fanout, workers: 1 }
slo:
  maxIteratorAge: 30s
`;
  const report = JSON.parse(runScenarioText(text, { scenarioFile: "efo-readers.yaml", scenarioSha256: "0" }).files["report.json"]) as ReportJson;

  it("their iterator-age SLO is judged on MillisBehindLatest: met, with data", () => {
    for (const c of report.consumers) expect(c.afterWarmup.getRecordsCalls).toBe(0);
    const slo = report.verdict.slos.find((s) => s.name === "maxIteratorAge")!;
    expect(slo.met).toBe(true);
    expect(slo.noData).toBeUndefined();
  });
});
