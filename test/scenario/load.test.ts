import { describe, expect, it } from "vitest";
import { checkScenario, formatPath, jsonSyntaxError, parseScenario, ScenarioError, type Problem } from "../../src/scenario/index.js";

/** The problems parseScenario throws for this text (fails the test if it parses). */
function problemsOf(text: string, file = "scenarios/x.yaml"): Problem[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  throw new Error("expected the scenario to be rejected");
}

function only(text: string, file?: string): Problem {
  const problems = problemsOf(text, file);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

// Lines of the base fixture, numbered as an editor shows them:
//  1 name: quickstart
//  2 duration: 10m
//  3 stream: { shards: 4 }
//  4 producers:
//  5   - name: web
//  6     client: sdk
//  7     instances: 4
//  8     rate: { shape: constant, value: "3000/s" }
//  9     recordSize: { dist: fixed, size: 1KiB }
const BASE = [
  "name: quickstart",
  "duration: 10m",
  "stream: { shards: 4 }",
  "producers:",
  "  - name: web",
  "    client: sdk",
  "    instances: 4",
  '    rate: { shape: constant, value: "3000/s" }',
  "    recordSize: { dist: fixed, size: 1KiB }",
];
const yaml = (lines: string[]) => `${lines.join("\n")}\n`;
const withLine = (n: number, line: string) => yaml(BASE.map((l, i) => (i === n - 1 ? line : l)));

describe("parseScenario on YAML", () => {
  it("accepts the base fixture", () => {
    expect(parseScenario(yaml(BASE), "scenarios/x.yaml").name).toBe("quickstart");
  });

  it("points at a misspelt key and suggests the field it was meant to be", () => {
    const p = only(yaml([...BASE, "    partitonKey: { kind: random }"])); // line 10, key at column 5
    expect(p).toEqual({
      file: "scenarios/x.yaml",
      line: 10,
      column: 5,
      path: "producers[0].partitonKey",
      message: "unknown field `partitonKey`; did you mean `partitionKey`?",
      found: "partitonKey",
      allowed: "name, client, instances, rate, recordSize, partitionKey, api, linger, maxBatchRecords, maxRequestSize, latency, retry, stream, deliveryStream",
      suggestion: "partitionKey",
    });
  });

  it("reports a wrongly capitalized required field once, as a misspelling rather than also as missing", () => {
    const p = only(withLine(9, "    recordsize: { dist: fixed, size: 1KiB }"));
    expect([p.line, p.column, p.path, p.suggestion]).toEqual([9, 5, "producers[0].recordsize", "recordSize"]);
  });

  it("says where a field belongs when it is written at the wrong level", () => {
    const p = only(yaml([...BASE, "retention: 48h"])); // line 10, column 1
    expect(`${p.line}:${p.column} ${p.message}`).toBe("10:1 unknown field `retention`; it belongs under `stream`, `streams[]`, not here");
  });

  it("names the option a field belongs to when it is valid for another shape", () => {
    const p = only(withLine(8, '    rate: { shape: constant, value: "3000/s", peak: "4000/s" }'));
    // "    rate: " is 10 characters and '{ shape: constant, value: "3000/s", ' 36 more, so `peak` is at column 47.
    expect([p.line, p.column]).toEqual([8, 47]);
    expect(p.message).toBe("unknown field `peak` for `shape: constant`; it belongs to shape diurnal");
  });

  it("names the allowed range and the line of an out-of-range shard count", () => {
    const p = only(withLine(3, "stream: { shards: 20000 }")); // "stream: { shards: " is 18 characters
    expect(p).toMatchObject({ line: 3, column: 19, path: "stream.shards", found: "20000", allowed: "1..10000" });
    expect(p.message).toBe("must be at most 10000 (allowed 1..10000), got 20000");
  });

  it("names the allowed range of a value below the minimum", () => {
    const p = only(withLine(7, "    instances: 0"));
    expect([p.line, p.column, p.message]).toEqual([7, 16, "must be at least 1 (allowed 1..1000000), got 0"]);
  });

  it("says an exclusive bound is exclusive", () => {
    const p = only(yaml([...BASE, "    partitionKey: { kind: hotKeys, keys: [{ key: a, share: 0 }] }"]));
    expect(p.message).toBe("must be greater than 0 (allowed > 0 and ≤ 1), got 0");
    expect(p.path).toBe("producers[0].partitionKey.keys[0].share");
  });

  it("explains a unit string that cannot be read, in the words of the brief's example", () => {
    const text = withLine(8, "    rate: { shape: constant, value: fast }");
    expect(() => parseScenario(text, "scenarios/x.yaml")).toThrow(
      'scenarios/x.yaml:8:37: producers[0].rate.value: expected a record rate such as 2000/s or 90000/m, got "fast"',
    );
  });

  it("gives the allowed range of a unit field out of range", () => {
    const p = only(withLine(9, "    recordSize: { dist: fixed, size: 20MiB }"));
    expect(p).toMatchObject({ line: 9, column: 38, allowed: "1 B to 10 MiB", message: '"20MiB" is out of range: allowed 1 B to 10 MiB' });
  });

  it("lists the allowed shapes for an unknown shape", () => {
    const p = only(withLine(8, '    rate: { shape: sine, value: "3000/s" }'));
    expect([p.line, p.column]).toEqual([8, 20]);
    expect(p.message).toBe('shape must be one of constant, poisson, step, ramp, diurnal, spikes, trace; got "sine"');
    expect(p.suggestion).toBeUndefined();
  });

  it("suggests the nearest shape for a misspelt discriminator", () => {
    const p = only(withLine(8, '    rate: { shape: diurnl, mean: "3000/s", peak: "4000/s" }'));
    expect(p.suggestion).toBe("diurnal");
    expect(p.message).toBe('shape must be one of constant, poisson, step, ramp, diurnal, spikes, trace; got "diurnl"; did you mean `diurnal`?');
  });

  it("suggests the nearest value of an enum", () => {
    const p = only(yaml([...BASE, "    api: PutRecrods"]));
    expect(`${p.line}:${p.column} ${p.message}`).toBe('10:10 api must be one of PutRecords, PutRecord; got "PutRecrods"; did you mean `PutRecords`?');
  });

  it("points a missing required field at its parent mapping", () => {
    // Line 3 becomes "stream:" and line 4 "  retention: 48h": the stream mapping starts at 4:3.
    const lines = [...BASE.slice(0, 2), "stream:", "  retention: 48h", ...BASE.slice(3)];
    const p = only(yaml(lines));
    expect(p).toMatchObject({ line: 4, column: 3, path: "stream.shards" });
    expect(p.message).toBe("missing required field `shards` (a provisioned stream states its shard count); expected a whole number (1..10000), or mode: on-demand");
  });

  it("points a missing discriminator at its mapping and lists the choices", () => {
    const p = only(withLine(8, '    rate: { value: "3000/s" }')); // "{" at column 11
    expect([p.line, p.column, p.path]).toEqual([8, 11, "producers[0].rate.shape"]);
    expect(p.message).toBe("missing required field `shape`; expected one of constant, poisson, step, ramp, diurnal, spikes, trace");
  });

  it("points a missing top-level field at the first line of the scenario", () => {
    const p = only(yaml(["# a comment first", ...BASE.filter((l) => !l.startsWith("duration"))]));
    expect([p.line, p.column, p.path]).toEqual([2, 1, "duration"]);
    expect(p.message).toBe("missing required field `duration`; expected a duration such as 250ms, 30s, 5m or 2h");
  });

  it("points an empty value at its key", () => {
    const lines = [...BASE.slice(0, 2), "stream:", "  shards:", ...BASE.slice(3)];
    const p = only(yaml(lines));
    expect([p.line, p.column, p.message]).toEqual([4, 3, "expected a whole number (1..10000), got an empty value"]);
  });

  it("tells a quoted number from a number", () => {
    const p = only(withLine(3, 'stream: { shards: "4" }'));
    expect(p.message).toBe('expected a whole number (1..10000), got "4" (a string: write the number without quotes)');
  });

  it("lists every problem in the error message, one per line, in file order", () => {
    const text = yaml([
      "name: quick start", //                          1: value at column 7
      "duration: 10m",
      "stream: { shards: 20000 }", //                  3: 20000 at column 19
      "producers:",
      "  - name: web",
      "    client: sdk",
      "    instances: 4",
      "    rate: { shape: constant, value: fast }", // 8: fast at column 37
      "    recordSize: { dist: fixed, size: 1KiB }",
      "    partitonKey: { kind: random }", //          10: key at column 5
    ]);
    let message = "";
    try {
      parseScenario(text, "scenarios/x.yaml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        'scenarios/x.yaml:1:7: name: scenario names use letters, digits, _ . - (1..128 characters); got "quick start"',
        "scenarios/x.yaml:3:19: stream.shards: must be at most 10000 (allowed 1..10000), got 20000",
        'scenarios/x.yaml:8:37: producers[0].rate.value: expected a record rate such as 2000/s or 90000/m, got "fast"',
        "scenarios/x.yaml:10:5: producers[0].partitonKey: unknown field `partitonKey`; did you mean `partitionKey`?",
      ].join("\n"),
    );
  });

  it("reports duplicate keys with where the key came first", () => {
    const p = only(yaml([...BASE, "name: again"]));
    expect(`${p.line}:${p.column} ${p.path}: ${p.message}`).toBe("10:1 name: duplicate key `name` (first given at line 1, column 1)");
  });

  it("reports a YAML syntax error at its line and column", () => {
    // The flow mapping on line 8 never closes; the parser notices at the next line's first character, 9:5.
    const p = only(withLine(8, '    rate: { shape: constant, value: "3000/s"'));
    expect(p.line).toBe(9);
    expect(p.column).toBe(5);
    expect(p.path).toBe("");
    expect(p.message).toMatch(/^YAML syntax error: Flow map in block collection must be sufficiently indented and end with a \}/);
  });

  it("reports a mis-indented line at its first character", () => {
    const p = only(withLine(7, "   instances: 4")); // three spaces instead of four
    expect([p.line, p.column]).toEqual([7, 4]);
    expect(p.message).toMatch(/^YAML syntax error: .*check the indentation/);
  });

  it("reports an unclosed quote", () => {
    const p = only(withLine(1, 'name: "quickstart'));
    expect(p.message).toBe('YAML syntax error: Missing closing "quote');
  });

  it("reports an alias without an anchor at the alias", () => {
    const p = only(yaml([...BASE, "description: *nope"])); // "*" at column 14
    expect([p.line, p.column, p.message]).toEqual([10, 14, "YAML error: unknown alias *nope (its anchor &nope must come before it)"]);
  });

  it("follows anchors and aliases", () => {
    const text = yaml([
      "name: two",
      "duration: 10m",
      "stream: { shards: 4 }",
      "producers:",
      "  - name: a",
      "    client: sdk",
      '    rate: &r { shape: constant, value: "10/s" }',
      "    recordSize: &s { dist: fixed, size: 1KiB }",
      "  - name: b",
      "    client: sdk",
      "    rate: *r",
      "    recordSize: *s",
    ]);
    const sc = parseScenario(text, "a.yaml");
    expect(sc.producers[1]!.rate).toEqual(sc.producers[0]!.rate);
  });

  it("explains an empty file and a file that is not a mapping", () => {
    expect(only("", "e.yaml").message).toBe("the file is empty; a scenario is a mapping with at least name, duration, producers");
    expect(only("# nothing yet\n", "e.yaml")).toMatchObject({ line: 1, column: 1 });
    expect(only("- a\n- b\n", "l.yaml").message).toBe("a scenario is a mapping with at least name, duration, producers; got a list");
  });

  it("rejects a file with two YAML documents", () => {
    const p = only(`${yaml(BASE)}---\nname: other\n`);
    expect(p.line).toBe(10);
    expect(p.message).toMatch(/more than one YAML document/);
  });

  it("counts columns in characters, not UTF-16 code units", () => {
    // Each rocket is one character but two UTF-16 code units; `share: 0` is the 63rd character of line 10.
    const p = only(yaml([...BASE, '    partitionKey: { kind: hotKeys, keys: [{ key: "🚀🚀", share: 0 }] }']));
    expect([p.line, p.column]).toEqual([10, 63]);
  });
});

describe("parseScenario on JSON", () => {
  // Lines of the JSON fixture:
  //  1 {
  //  2   "name": "quickstart",
  //  3   "duration": "10m",
  //  4   "stream": { "shards": 4 },
  //  5   "producers": [
  //  6     {
  //  7       "name": "web",
  //  8       "client": "sdk",
  //  9       "rate": { "shape": "constant", "value": "3000/s" },
  // 10       "recordSize": { "dist": "fixed", "size": "1KiB" }
  // 11     }
  // 12   ]
  // 13 }
  const JSON_LINES = [
    "{",
    '  "name": "quickstart",',
    '  "duration": "10m",',
    '  "stream": { "shards": 4 },',
    '  "producers": [',
    "    {",
    '      "name": "web",',
    '      "client": "sdk",',
    '      "rate": { "shape": "constant", "value": "3000/s" },',
    '      "recordSize": { "dist": "fixed", "size": "1KiB" }',
    "    }",
    "  ]",
    "}",
  ];
  const json = (edit: (lines: string[]) => string[] = (l) => l) => `${edit([...JSON_LINES]).join("\n")}\n`;
  const replaceLine = (n: number, line: string) => json((ls) => ls.map((l, i) => (i === n - 1 ? line : l)));

  it("accepts the JSON fixture", () => {
    expect(parseScenario(json(), "s.json").stream!.shards).toBe(4);
  });

  it("points at the value in a JSON file", () => {
    const p = only(replaceLine(4, '  "stream": { "shards": 20000 },'), "s.json"); // "  \"stream\": { \"shards\": " is 24 characters
    expect(p).toMatchObject({ file: "s.json", line: 4, column: 25, path: "stream.shards", allowed: "1..10000" });
  });

  it("points at a misspelt key in a JSON file, at its opening quote", () => {
    const p = only(replaceLine(8, '      "client": "sdk", "partitonKey": { "kind": "random" },'), "s.json");
    expect([p.line, p.column, p.suggestion]).toEqual([8, 24, "partitionKey"]);
  });

  it("points a missing field at its JSON object", () => {
    const p = only(replaceLine(4, '  "stream": { },'), "s.json"); // "{" at column 13
    expect([p.line, p.column, p.path]).toEqual([4, 13, "stream.shards"]);
  });

  it("reports a trailing comma at the comma", () => {
    const p = only(replaceLine(10, '      "recordSize": { "dist": "fixed", "size": "1KiB", }'), "s.json");
    expect([p.line, p.column]).toEqual([10, 54]);
    expect(p.message).toBe("JSON syntax error: trailing comma before `}` (not allowed in JSON)");
  });

  it("reports a missing comma where the next property starts", () => {
    const p = only(replaceLine(2, '  "name": "quickstart"'), "s.json");
    expect([p.line, p.column]).toEqual([3, 3]);
    expect(p.message).toBe('JSON syntax error: expected `,` or `}` after a property value, got `"`');
  });

  it("rejects YAML-only syntax in a .json file", () => {
    expect(only(replaceLine(7, "      name: web,"), "s.json")).toMatchObject({ line: 7, column: 7 });
    expect(only(replaceLine(7, "      'name': 'web',"), "s.json").message).toBe("JSON syntax error: property names need double quotes in JSON");
    expect(only(replaceLine(3, '  "duration": "10m", # ten minutes'), "s.json")).toMatchObject({
      line: 3,
      column: 22,
      message: "JSON syntax error: comments are not allowed in JSON",
    });
    expect(only("name: q\n", "s.json").message).toBe("JSON syntax error: expected a value, got `name` (strings need double quotes)");
  });

  it("reports duplicate keys in JSON, which JSON.parse would silently accept", () => {
    const p = only(replaceLine(3, '  "duration": "10m", "name": "again",'), "s.json");
    expect([p.line, p.column, p.message]).toEqual([3, 22, "duplicate key `name` (first given at line 2, column 3)"]);
  });

  it("reads a JSON file indented with tabs", () => {
    const tabbed = json().replace(/^( {2})+/gm, (m) => "\t".repeat(m.length / 2));
    expect(tabbed).toContain('\t\t\t"name": "web"');
    expect(parseScenario(tabbed, "t.json").producers[0]!.name).toBe("web");
  });

  it("treats a .JSON extension as JSON and other extensions as YAML", () => {
    expect(only("name: q\n", "S.JSON").message).toMatch(/^JSON syntax error/);
    expect(problemsOf("name: q\n", "s.yml").map((p) => p.path)).toEqual(["duration", "producers"]);
  });
});

describe("checkScenario", () => {
  it("returns the scenario or the problems without throwing", () => {
    const ok = checkScenario(yaml(BASE), "ok.yaml");
    expect(ok.ok).toBe(true);
    const bad = checkScenario(withLine(3, "stream: { shards: 0 }"), "bad.yaml");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => `${p.line}:${p.column}`)).toEqual(["3:19"]);
  });
});

describe("jsonSyntaxError", () => {
  it.each([
    ['{"a": 1}', undefined],
    ["  \n", undefined],
    ['[1, 2.5e3, -0, "x\\u00e9", true, false, null, {}]', undefined],
    ['{"a": 01}', { offset: 6, message: 'invalid number "01"' }],
    ['{"a": tru}', { offset: 6, message: "expected a value, got `tru` (strings need double quotes)" }],
    ['{"a": "b\\q"}', { offset: 8, message: "invalid escape \\q in a string" }],
    ['{"a": "b', { offset: 6, message: "unterminated string" }],
    ['{"a": 1', { offset: 7, message: "unexpected end of file: missing `}`" }],
    ["[1, 2,]", { offset: 5, message: "trailing comma before `]` (not allowed in JSON)" }],
    ['{"a": 1} x', { offset: 9, message: "unexpected text after the end of the JSON value" }],
    ['{"a": "tab\there"}', { offset: 10, message: "control character in a string (write \\t or \\n)" }],
  ])("checks %j", (text, expected) => {
    expect(jsonSyntaxError(text)).toEqual(expected);
  });
});

describe("formatPath", () => {
  it("writes paths as in JavaScript", () => {
    expect(formatPath(["producers", 0, "rate", "value"])).toBe("producers[0].rate.value");
    expect(formatPath(["stream", "odd key"])).toBe('stream["odd key"]');
    expect(formatPath([])).toBe("");
  });
});

// helper-68's F6: a union field's message says what it takes (it said "expected union").
describe("a union field's message names what is allowed", () => {
  const lambda = (extra: string) => yaml([...BASE, "consumers:", `  - { name: c, kind: lambda, startingPosition: LATEST, ${extra} }`]);
  it("maximumRecordAge: -1 or a duration in range", () => {
    const p = only(lambda('maximumRecordAge: "30s"'));
    expect(p.path).toBe("consumers[0].maximumRecordAge");
    expect(p.message).toBe('expected -1 (no limit) or a duration from 1 min to 168 h, got "30s"');
  });
  it("kcl.version: 2 or 3", () => {
    const p = only(yaml([...BASE, "consumers:", "  - name: app", "    kind: kcl", "    kcl: { version: 4 }"]));
    expect(p.message).toBe("expected 2 or 3, got 4");
  });
  it("a reshard's shard: an index or a shard id", () => {
    const p = only(yaml([...BASE, "reshards:", "  - { at: 1m, kind: split, shard: 1.5 }"]));
    expect(p.path).toBe("reshards[0].shard");
    expect(p.message).toBe("expected a shard index (a whole number 0..1000000) or a shard id such as shardId-000000000003, got 1.5");
  });
  it("hot key shares over 1 are printed rounded", () => {
    const p = only(withLine(9, "    recordSize: { dist: fixed, size: 1KiB }\n    partitionKey: { kind: hotKeys, keys: [{ key: a, share: 0.7 }, { key: b, share: 0.6 }] }"));
    expect(p.message).toBe("hot key shares add up to 1.3, more than 1");
  });
});

// helper-68's F8: an SLO with nothing to judge it by is refused, not dropped from the verdict.
describe("an SLO the scenario has nothing for", () => {
  it("a consumer SLO without consumers", () => {
    const p = only(yaml([...BASE, "slo: { endToEndP99: 1s }"]));
    expect(p.path).toBe("slo.endToEndP99");
    expect(p.message).toBe("this SLO judges consumers, but the scenario has none: add a consumer under `consumers:`, or leave the SLO out");
    expect(p.line).toBe(10);
  });
  it("a delivery stream SLO without firehose", () => {
    const ps = problemsOf(yaml([...BASE, "slo: { deliveryP99: 1s, dataFreshness: 1s, firehoseNotDeliveredPercent: 0, putLatencyP99: 1s }"]));
    expect(ps.map((p) => p.path)).toEqual(["slo.deliveryP99", "slo.dataFreshness", "slo.firehoseNotDeliveredPercent"]);
    expect(ps[0]!.message).toBe("this SLO judges Firehose delivery streams, but the scenario has none: add one under `firehose:`, or leave the SLO out");
  });
});
