// Scenario files → a validated Scenario, or every problem at once with file:line:column, the field's path, what
// was found, what is allowed and the nearest valid spelling. Takes text, never touches the file system (only
// src/cli reads files). The steps: parse the text, keeping where each node is (parse.ts, jsonSyntax.ts);
// validate the data against the schema; turn the schema's issues into problems in words (issues.ts,
// expectations.ts, suggest.ts) at the line:column of their fields (positions.ts); sort them (problem.ts).

import { findDecimalUnits, formatPath, scenarioWarnings, ScenarioSchema, withDecimalUnits, type Scenario } from "../spec/index.js";
import { issueProblems } from "./issues.js";
import { parseFile, readDocument } from "./parse.js";
import { locator, type Position } from "./positions.js";
import { formatProblem, sortProblems, type Problem, type Warning } from "./problem.js";

export { formatPath, formatProblem, formatWarning, type Problem, type Warning } from "./problem.js";
export { jsonSyntaxError } from "./jsonSyntax.js";

/** A scenario file that does not parse or validate; `message` lists every problem, one per line. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

export type CheckResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** Parses and validates a scenario file's text. `file` names it in problems and picks JSON (.json) or YAML. */
export function parseScenario(text: string, file: string): Scenario {
  const result = checkScenario(text, file);
  if (!result.ok) throw new ScenarioError(result.problems);
  return result.scenario;
}

/** Like parseScenario, but returns the problems instead of throwing (for `shardcast validate`). */
export function checkScenario(text: string, file: string): CheckResult {
  const parsed = parseFile(text, file);
  if (!parsed.ok) return parsed;
  const validated = ScenarioSchema.safeParse(parsed.data);
  if (validated.success) return { ok: true, scenario: noteWritten(validated.data, parsed.data) };
  const problems = issueProblems(validated.error.issues, parsed.data, locator(parsed.doc));
  return { ok: false, problems: sortProblems(problems.map(({ offset, ...p }) => ({ file, ...parsed.at(offset), ...p }))) };
}

/** A parsed scenario with what only its file's data tells: the sizes and byte rates written in KB, MB or GB (src/spec/writtenUnits.ts). */
function noteWritten(scenario: Scenario, data: unknown): Scenario {
  return withDecimalUnits(scenario, findDecimalUnits(data, scenario));
}

/**
 * The scenario file's data before validation (what a sweep varies), or the file's syntax problems. Throws
 * ScenarioError like parseScenario.
 */
export function scenarioData(text: string, file: string): unknown {
  const parsed = parseFile(text, file);
  if (!parsed.ok) throw new ScenarioError(parsed.problems);
  return parsed.data;
}

/**
 * Validates scenario data that did not come straight from a file (a sweep's varied copy): each problem is
 * "path: message", with no position.
 */
export function validateScenarioData(data: unknown): { ok: true; scenario: Scenario } | { ok: false; messages: string[] } {
  const parsed = ScenarioSchema.safeParse(data);
  if (parsed.success) return { ok: true, scenario: noteWritten(parsed.data, data) };
  const problems = issueProblems(parsed.error.issues, data, () => 0);
  return { ok: false, messages: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)) };
}

/**
 * Where a field is in a scenario file's text (its value, its key, or its parent's start), or its nearest
 * ancestor that the file has: for problems found after validation, such as a trace file the scenario names.
 */
export function fieldPosition(text: string, path: readonly PropertyKey[], where: "value" | "key" | "parent" = "value"): Position {
  const { doc, at } = readDocument(text, "locate");
  return at(locator(doc)(path, where));
}

/**
 * The warnings about a valid scenario (src/spec/warnings.ts), each at the line:column of its field in the
 * scenario file's text, in file order. `file` names the file in them.
 */
export function scenarioWarningsIn(text: string, file: string, scenario: Scenario): Warning[] {
  const warnings = scenarioWarnings(scenario);
  if (warnings.length === 0) return [];
  const { doc, at } = readDocument(text, "locate");
  const locate = locator(doc);
  return warnings
    .map((w, i) => ({ w: { file, ...at(locate(w.path, "value")), path: formatPath(w.path), code: w.code, message: w.message }, i }))
    .sort((a, b) => a.w.line - b.w.line || a.w.column - b.w.column || a.i - b.i)
    .map(({ w }) => w);
}
