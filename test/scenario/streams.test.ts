// Several streams in a scenario (`streams:`): who writes to and reads which stream, and the errors that name the
// line, the field and what is allowed when a reference is missing, ambiguous or loops.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError, streamsOf, type Problem } from "../../src/scenario/index.js";

const BASE = [
  "name: pipe", //                                       1
  "duration: 10m", //                                    2
  "streams:", //                                         3
  "  - { name: raw, shards: 2 }", //                     4
  "  - { name: enriched, shards: 1 }", //                5
  "producers:", //                                       6
  "  - name: web", //                                    7
  "    client: sdk", //                                  8
  "    stream: raw", //                                  9
  '    rate: { shape: constant, value: "1000/s" }', //  10
  "    recordSize: { dist: fixed, size: 1KiB }", //     11
  "consumers:", //                                      12
  "  - name: enricher", //                              13
  "    kind: kcl", //                                   14
  "    stream: raw", //                                 15
  "    output: { stream: enriched }", //                16
];
const yaml = (lines: string[]) => `${lines.join("\n")}\n`;

function problems(lines: string[]): Problem[] {
  try {
    parseScenario(yaml(lines), "scenarios/pipe.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  throw new Error("expected the scenario to be rejected");
}
const messages = (lines: string[]) => problems(lines).map((p) => `${p.line}: ${p.message}`);

describe("a scenario with several streams", () => {
  it("parses: the streams in order, the producer's, the consumer's and the output's streams", () => {
    const s = parseScenario(yaml(BASE), "pipe.yaml");
    expect(streamsOf(s).map((x) => [x.name, x.spec.shards])).toEqual([
      ["raw", 2],
      ["enriched", 1],
    ]);
    const app = s.consumers[0]!;
    if (app.kind === "lambda") throw new Error("expected a KCL application");
    expect(app.output).toMatchObject({ stream: "enriched", recordsPerRecord: 1, sizeFactor: 1, retry: { base: 100_000, cap: 20_000_000 } });
    expect(app.output!.retry.maxAttempts).toBeUndefined();
  });

  it("`stream:` stays the one-stream shorthand, named after the scenario unless it says", () => {
    const one = ["name: solo", "duration: 1m", "stream: { shards: 1 }", ...BASE.slice(5, 8), ...BASE.slice(9, 11)];
    expect(streamsOf(parseScenario(yaml(one), "solo.yaml")).map((x) => x.name)).toEqual(["solo"]);
  });

  it("a producer must name its stream when there are several", () => {
    const lines = BASE.filter((_, i) => i !== 8);
    expect(messages(lines)).toEqual(['7: producer "web": the scenario has 2 streams (raw, enriched): name the one it writes to with `stream:`']);
  });

  it("a consumer must name its stream when there are several", () => {
    const lines = BASE.filter((_, i) => i !== 14);
    expect(messages(lines)).toEqual(['13: consumer "enricher": the scenario has 2 streams (raw, enriched): name the one it reads with `stream:`']);
  });

  it("an unknown stream is named with the streams there are", () => {
    const lines = BASE.map((l) => (l === "    stream: raw" ? "    stream: rwa" : l));
    expect(messages(lines)).toEqual(['9: no stream named "rwa" (streams: raw, enriched)', '15: no stream named "rwa" (streams: raw, enriched)']);
  });

  it("`stream:` and `streams:` together are refused", () => {
    expect(messages([...BASE, "stream: { shards: 1 }"])).toContainEqual("4: give either `stream:` (one stream) or `streams:` (several), not both");
  });

  it("stream names are unique", () => {
    const lines = BASE.map((l) => (l.includes("enriched, shards") ? "  - { name: raw, shards: 1 }" : l));
    expect(messages(lines)).toContainEqual('5: duplicate stream name "raw"');
  });

  it("an application may not write back to the stream it reads, nor close a loop", () => {
    expect(messages(BASE.map((l) => (l.startsWith("    output") ? "    output: { stream: raw }" : l)))).toEqual([
      '16: consumer "enricher" reads "raw"; it cannot write what it processes back to the same stream',
    ]);
    const loop = [...BASE, "  - name: back", "    kind: kcl", "    stream: enriched", "    output: { stream: raw }"];
    expect(messages(loop)).toEqual(["13: the applications' outputs form a loop: raw → enriched → raw"]);
  });

  it("a KPL or Agent group's shares over several streams add up to 1, each stream once", () => {
    const kpl = [
      ...BASE.slice(0, 6),
      "  - name: app",
      "    client: kpl",
      "    streams: [{ name: raw, share: 0.5 }, { name: enriched, share: 0.4 }]",
      '    rate: { shape: constant, value: "1000/s" }',
      "    recordSize: { dist: fixed, size: 1KiB }",
    ];
    expect(messages(kpl)).toEqual(["9: the shares add up to 0.9; they must add up to 1"]);
    const twice = kpl.map((l) => (l.includes("streams: [") ? "    streams: [{ name: raw, share: 0.5 }, { name: raw, share: 0.5 }]" : l));
    expect(messages(twice)).toEqual(['9: stream "raw" is listed twice']);
  });

  it("a delivery stream reads one of the streams, and says which there are", () => {
    const lines = [...BASE, "firehose:", "  - { name: archive, source: enrichd }"];
    expect(messages(lines)).toEqual(['18: source must be direct-put or one of the streams (raw, enriched), got "enrichd"']);
  });

  it("a producer writes to a stream or to a delivery stream, not both", () => {
    const lines = [...BASE.slice(0, 9), "    deliveryStream: logs", ...BASE.slice(9), "firehose:", "  - { name: logs, source: direct-put }"];
    expect(messages(lines)).toContainEqual("10: a producer writes either to a Kinesis stream (`stream:`) or to a delivery stream with Direct PUT (`deliveryStream:`), not both");
  });

  it("the 20 fan-out consumers a stream allows count per stream", () => {
    const fanouts = (stream: string, n: number, from: number) => Array.from({ length: n }, (_, i) => `  - { name: f${from + i}, kind: fanout, stream: ${stream} }`);
    expect(() => parseScenario(yaml([...BASE, ...fanouts("raw", 20, 0), ...fanouts("enriched", 20, 20)]), "pipe.yaml")).not.toThrow();
    expect(messages([...BASE, ...fanouts("raw", 21, 0)])).toEqual(['13: 21 enhanced fan-out consumers of "raw": a provisioned stream allows at most 20 (50 with mode: on-demand-advantage)']);
  });
});
