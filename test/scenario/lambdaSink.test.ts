// A Lambda consumer's sink took the Connector's `buffer` and `checkpoint` and did nothing with them, without a word
// (helper-94: `buffer: { records: 5 }` and `checkpoint: when-due` gave the same report, which still showed a 1,000-record
// buffer and after-flush). A Lambda function writes each batch inside its invocation and does not checkpoint (its
// event source mapping moves on when the invocation returns): both are errors at their line, naming the field and why.
// A KCL application's sink takes them.
import { describe, expect, it } from "vitest";
import { checkScenario, parseScenario, ScenarioError } from "../../src/scenario/index.js";

const text = (kind: "lambda" | "kcl", sinkExtra: string) => `name: fn-sink
duration: 2m
stream: { shards: 1 }
producers:
  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }
consumers:
  - name: c
    kind: ${kind}
${kind === "lambda" ? "    startingPosition: LATEST\n" : ""}    sink:
      kind: dynamodb
      table: { capacity: provisioned, write: 100 }
${sinkExtra}`;

function problemsOf(t: string) {
  try {
    parseScenario(t, "fn-sink.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

describe("a Lambda consumer's sink", () => {
  it("refuses `buffer` and `checkpoint`: an error at each field's line, saying why", () => {
    const problems = problemsOf(text("lambda", "      buffer: { records: 5 }\n      checkpoint: when-due\n"));
    expect(problems.map((p) => ({ line: p.line, column: p.column, path: p.path }))).toEqual([
      { line: 13, column: 7, path: "consumers[0].sink.buffer" },
      { line: 14, column: 7, path: "consumers[0].sink.checkpoint" },
    ]);
    expect(problems[0]!.message).toBe(
      "`buffer` does not apply to a Lambda consumer's sink: the function writes each invocation's batch before it returns, so no buffer gathers records (the mapping's `batchSize` and `batchingWindow` set how many a write takes); remove it",
    );
    expect(problems[1]!.message).toBe(
      "`checkpoint` does not apply to a Lambda consumer's sink: a function does not checkpoint (its event source mapping moves past a batch when the invocation returns, after the write); remove it",
    );
  });

  it("refuses them on every kind of sink, and even when they state the Connector's defaults", () => {
    const s3 = `name: fn-sink
duration: 2m
stream: { shards: 1 }
producers:
  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }
consumers:
  - { name: c, kind: lambda, startingPosition: LATEST, sink: { kind: s3, buffer: {}, checkpoint: after-flush } }
`;
    expect(problemsOf(s3).map((p) => p.path)).toEqual(["consumers[0].sink.buffer", "consumers[0].sink.checkpoint"]);
  });

  it("without them it parses, and the parsed sink has neither (nothing echoes a buffer or a checkpoint policy)", () => {
    const sc = parseScenario(text("lambda", "      retry: { limit: 2, backoff: 200ms }\n"), "fn-sink.yaml");
    const c = sc.consumers[0]!;
    expect(c.kind === "lambda" ? c.sink : undefined).toEqual({
      kind: "dynamodb",
      table: { capacity: "provisioned", write: 100, read: 1, burst: 300_000_000 },
      itemsPerRequest: 16,
      requestLatency: { dist: "lognormal", median: 10_000, p99: 50_000 },
      retry: { limit: 2, backoff: 200_000 },
      sizeFactor: 1,
    });
  });

  it("a KCL application's sink takes both (the Connector's buffer and checkpoint policy)", () => {
    const r = checkScenario(text("kcl", "      buffer: { records: 5 }\n      checkpoint: when-due\n"), "fn-sink.yaml");
    expect(r.ok).toBe(true);
    const c = r.ok ? r.scenario.consumers[0]! : undefined;
    expect(c?.kind === "kcl" ? [c.sink?.buffer.records, c.sink?.checkpoint] : undefined).toEqual([5, "when-due"]);
  });
});
