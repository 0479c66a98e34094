// Scenario files → a validated Scenario, or every problem at once with file:line:column, the field's path, what
// was found, what is allowed and the nearest valid spelling. Takes text, never touches the file system (only
// src/cli reads files). YAML and JSON both go through the `yaml` parser, which keeps each node's source range;
// a .json file is first checked against the JSON grammar so YAML-only syntax in it is reported as a JSON error.

import { type Alias, type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Pair, visit } from "yaml";
import type { z } from "zod";
import { ScenarioSchema, type Scenario } from "../spec/index.js";
import {
  dataAt,
  discriminatedUnion,
  discriminatorValues,
  fieldHomes,
  fieldNamesAt,
  otherOptionsWithField,
  literalValues,
  schemasAt,
  suggestField,
  suggestValue,
  unwrapSchema,
} from "./suggest.js";
import { BYTE_RATE_PATTERN, DURATION_PATTERN, RECORD_RATE_PATTERN, SIZE_PATTERN } from "../spec/units.js";

/** One thing wrong with a scenario file. Lines and columns count from 1; columns count characters. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** The field, as in `producers[0].rate.value`; "" for the file as a whole (syntax errors). */
  path: string;
  /** What is wrong, in words; includes found, allowed and suggestion where they help. */
  message: string;
  /** The offending value or key as written, e.g. `"fast"`, `20000`, `partitonKey`. */
  found?: string;
  /** What is allowed there, e.g. `1..10000` or `constant, poisson, step`. */
  allowed?: string;
  /** The nearest valid spelling, e.g. `partitionKey`. */
  suggestion?: string;
}

/** `file:line:col: path: message`, the form editors and terminals turn into links. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

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
  return check(text, file, false);
}

/**
 * The scenario file's data before validation (what a sweep varies), or the file's syntax problems. Throws
 * ScenarioError like parseScenario.
 */
export function scenarioData(text: string, file: string): unknown {
  const result = check(text, file, true) as unknown as { ok: true; data: unknown } | { ok: false; problems: Problem[] };
  if (!result.ok) throw new ScenarioError(result.problems);
  return result.data;
}

/**
 * Validates scenario data that did not come straight from a file (a sweep's varied copy): each problem is
 * "path: message", with no position.
 */
export function validateScenarioData(data: unknown): { ok: true; scenario: Scenario } | { ok: false; messages: string[] } {
  const parsed = ScenarioSchema.safeParse(data);
  if (parsed.success) return { ok: true, scenario: parsed.data };
  const problems = dropExplained(parsed.error.issues.flatMap((issue) => describeIssue(issue, data, () => 0)));
  return { ok: false, messages: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)) };
}

function check(text: string, file: string, raw: boolean): CheckResult {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const json = /\.json$/i.test(file);
  const lineCounter = new LineCounter();
  // logLevel "error": the yaml package would otherwise print warnings to the process (e.g. for a mapping used
  // as a key); whatever such input means, the schema then reports it as a problem with a position.
  const doc = parseDocument(src, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const at = positioner(src, lineCounter);
  const problem = (offset: number, path: string, message: string, extra: Partial<Problem> = {}): Problem => ({
    file,
    ...at(offset),
    path,
    message,
    ...extra,
  });

  if (json) {
    const err = jsonSyntaxError(src);
    if (err) return { ok: false, problems: [problem(err.offset, "", `JSON syntax error: ${err.message}`)] };
  }

  if (doc.errors.length > 0) {
    const syntax = json ? "JSON" : "YAML";
    // After a real syntax error the parser's later complaints are mostly its own confusion: report the first.
    // Duplicate keys leave the parse intact, so all of them are reported, each with where the key came first.
    const first = doc.errors.find((e) => e.code !== "DUPLICATE_KEY");
    if (first) {
      let offset = first.pos[0];
      while (src[offset] === " ") offset++; // indentation errors: point at the text, not the line start
      return { ok: false, problems: [problem(offset, "", `${syntax} syntax error: ${yamlMessage(first.code, first.message)}`)] };
    }
    const dups = duplicateKeys(doc);
    const problems = dups.length ? [] : doc.errors.map((e) => problem(e.pos[0], "", `${syntax} syntax error: ${yamlMessage(e.code, e.message)}`));
    for (const d of dups) {
      const firstAt = at(d.first.range![0]);
      const name = String(d.path.at(-1));
      problems.push(problem(d.key.range![0], formatPath(d.path), `duplicate key \`${name}\` (first given at line ${firstAt.line}, column ${firstAt.column})`));
    }
    return { ok: false, problems: sortProblems(problems) };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const alias = firstUnresolvedAlias(doc);
    if (alias) return { ok: false, problems: [problem(alias.range![0], "", `YAML error: unknown alias *${alias.source} (its anchor &${alias.source} must come before it)`)] };
    return { ok: false, problems: [problem(0, "", `YAML error: ${e instanceof Error ? e.message : String(e)}`)] };
  }

  if (raw) return { ok: true, data } as unknown as CheckResult;
  const parsed = ScenarioSchema.safeParse(data);
  if (parsed.success) return { ok: true, scenario: parsed.data };
  const locate = locator(doc);
  const problems: Tagged[] = parsed.error.issues.flatMap((issue) => describeIssue(issue, data, locate));
  return { ok: false, problems: sortProblems(dropExplained(problems).map(({ offset, missing: _m, explains: _e, ...p }) => ({ file, ...at(offset), ...p }))) };
}

/**
 * Where a field is in a scenario file's text (its value, its key, or its parent's start), or its nearest
 * ancestor that the file has: for problems found after validation, such as a trace file the scenario names.
 */
export function fieldPosition(text: string, path: readonly PropertyKey[], where: "value" | "key" | "parent" = "value"): { line: number; column: number } {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const doc = parseDocument(src, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: "silent" });
  return positioner(src, lineCounter)(locator(doc)(path, where));
}

// ---------------------------------------------------------------------------------------------------------
// Positions.

function positioner(src: string, lc: LineCounter): (offset: number) => { line: number; column: number } {
  return (offset) => {
    const o = Math.max(0, Math.min(offset, src.length));
    const { line } = lc.linePos(o);
    if (line < 1) return { line: 1, column: 1 + [...src.slice(0, o)].length };
    const start = lc.lineStarts[line - 1] ?? 0;
    return { line, column: 1 + [...src.slice(start, o)].length }; // characters, not UTF-16 units
  };
}

type Locate = (path: readonly PropertyKey[], where: "value" | "key" | "parent") => number;

/** Finds the source offset of the node at a data path, or of its nearest ancestor in the file. */
function locator(doc: Document): Locate {
  const start = (n: Node | null | undefined): number | undefined => n?.range?.[0];
  const walk = (path: readonly PropertyKey[]) => {
    let node: unknown = doc.contents;
    let best = start(doc.contents as Node | null) ?? 0;
    let pair: Pair | undefined;
    let depth = 0;
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(doc);
      pair = undefined;
      if (isMap(node)) {
        pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number" && key < node.items.length) {
        node = node.items[key];
      } else {
        break;
      }
      depth++;
      const n = node as Node | null;
      const empty = isScalar(n) && n.value === null && n.range && n.range[0] === n.range[1];
      best = (empty ? undefined : start(n)) ?? start(pair?.key as Node | undefined) ?? best;
    }
    return { best, keyOffset: depth === path.length ? start(pair?.key as Node | undefined) : undefined };
  };
  return (path, where) => {
    if (where === "parent") return walk(path.slice(0, -1)).best;
    const w = walk(path);
    return where === "key" ? (w.keyOffset ?? w.best) : w.best;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Paths and values in messages.

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** ["producers", 0, "rate", "value"] → "producers[0].rate.value". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENT.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A value as it appears in a message: strings quoted (and shortened), collections named. */
function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "an empty value";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return String(v);
}

function code(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(", ");
}

// ---------------------------------------------------------------------------------------------------------
// What a schema expects, in words (for missing fields and wrong types).

type Schema = z.core.$ZodType;

const UNIT_KINDS: [string, string][] = [
  [DURATION_PATTERN, "a duration such as 250ms, 30s, 5m or 2h"],
  [SIZE_PATTERN, "a size such as 512B, 1KiB or 5MiB"],
  [RECORD_RATE_PATTERN, "a record rate such as 2000/s or 90000/m"],
  [BYTE_RATE_PATTERN, "a byte rate such as 512KiB/s or 3MiB/s"],
];

interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}

interface Bound {
  value: number;
  inclusive: boolean;
}

function checksOf(schema: Schema): CheckDef[] {
  const checks = (schema._zod.def as { checks?: { _zod: { def: unknown } }[] }).checks ?? [];
  return checks.map((c) => c._zod.def as CheckDef);
}

function numericBounds(schema: Schema): { lo?: Bound; hi?: Bound } {
  const out: { lo?: Bound; hi?: Bound } = {};
  for (const c of checksOf(unwrapSchema(schema))) {
    if (c.check === "greater_than" && c.value !== undefined) out.lo = { value: c.value, inclusive: c.inclusive ?? true };
    if (c.check === "less_than" && c.value !== undefined) out.hi = { value: c.value, inclusive: c.inclusive ?? true };
  }
  return out;
}

function rangeText(lo?: Bound, hi?: Bound): string | undefined {
  if (lo && hi && lo.inclusive && hi.inclusive) return `${lo.value}..${hi.value}`;
  const parts: string[] = [];
  if (lo) parts.push(`${lo.inclusive ? "≥" : ">"} ${lo.value}`);
  if (hi) parts.push(`${hi.inclusive ? "≤" : "<"} ${hi.value}`);
  return parts.length ? parts.join(" and ") : undefined;
}

function unitKind(schema: Schema): string | undefined {
  const s = unwrapSchema(schema);
  const def = s._zod.def as { type: string; options?: Schema[] };
  if (def.type !== "union" || !def.options) return undefined;
  for (const o of def.options) {
    for (const c of checksOf(o)) {
      if (c.format === "regex" && c.pattern) {
        const kind = UNIT_KINDS.find(([p]) => new RegExp(p).source === c.pattern!.source);
        if (kind) return kind[1];
      }
    }
  }
  return undefined;
}

function isInt(schema: Schema): boolean {
  return (unwrapSchema(schema)._zod.def as { format?: string }).format === "safeint";
}

function requiredFields(schema: Schema): string[] {
  const shape = (unwrapSchema(schema)._zod.def as { shape?: Record<string, Schema> }).shape ?? {};
  return Object.entries(shape)
    .filter(([, s]) => s._zod.optin === undefined)
    .map(([k]) => k);
}

/** "a whole number (1..10000)", "a duration such as …", "one of a, b", "a mapping (required: shards)". */
function expectation(schema: Schema): string {
  const unit = unitKind(schema);
  if (unit) return unit;
  const du = discriminatedUnion(schema);
  if (du) return `a mapping with \`${du.discriminator}\`: one of ${discriminatorValues(schema).join(", ")}`;
  const s = unwrapSchema(schema);
  const type = (s._zod.def as { type: string }).type;
  switch (type) {
    case "number": {
      const { lo, hi } = numericBounds(s);
      const range = rangeText(lo, hi);
      return `${isInt(s) ? "a whole number" : "a number"}${range ? ` (${range})` : ""}`;
    }
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "literal":
    case "enum": {
      const values = literalValues(s);
      return values.length === 1 ? `${values[0]}` : `one of ${values.join(", ")}`;
    }
    case "object": {
      const req = requiredFields(s);
      return req.length ? `a mapping (required: ${req.join(", ")})` : "a mapping";
    }
    case "array": {
      const min = checksOf(s).find((c) => c.check === "min_length")?.minimum;
      return min ? `a list (at least ${min} item${min === 1 ? "" : "s"})` : "a list";
    }
    default:
      return type;
  }
}

const TYPE_WORDS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

// ---------------------------------------------------------------------------------------------------------
// zod issues → problems.

interface Tagged extends Omit<Problem, "file" | "line" | "column"> {
  offset: number;
  /** The field this problem reports as missing (so a misspelling of it can explain it away). */
  missing?: string;
  /** For a misspelt key: the field it was meant to be. */
  explains?: string;
}

type Issue = z.core.$ZodIssue;

function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (big|small)|Unrecognized)/.test(message);
}

function describeIssue(issue: Issue, data: unknown, locate: Locate): Tagged[] {
  const path = issue.path as PropertyKey[];
  const p = formatPath(path);
  const value = dataAt(data, path);
  const last = path.at(-1);
  const field = typeof last === "string" ? last : undefined;
  const parent = dataAt(data, path.slice(0, -1));
  const isMissing =
    field !== undefined && typeof parent === "object" && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, field);
  const schemas = schemasAt(ScenarioSchema, path, data);
  const found = value === undefined ? {} : { found: show(value) };
  const at = (where: "value" | "key" | "parent") => locate(path, where);

  const missing = (expected: string | undefined): Tagged => ({
    offset: at("parent"),
    path: p,
    message: `missing required field \`${field}\`${expected ? `; expected ${expected}` : ""}`,
    ...(expected ? { allowed: expected } : {}),
    missing: p,
  });

  switch (issue.code) {
    case "unrecognized_keys": {
      const names = fieldNamesAt(ScenarioSchema, path, data);
      return issue.keys.map((key) => {
        const keyPath = [...path, key];
        const other = otherOptionsWithField(ScenarioSchema, path, data, key);
        const suggestion = other ? undefined : suggestField(ScenarioSchema, path, data, key);
        let message = `unknown field \`${key}\``;
        if (other) {
          const which = other.values.length === 1 ? other.values[0] : `one of ${other.values.join(", ")}`;
          message += ` for \`${other.discriminator}: ${String(other.current)}\`; it belongs to ${other.discriminator} ${which}`;
        } else if (suggestion) {
          message += `; did you mean \`${suggestion}\`?`;
        } else {
          const homes = fieldHomes(ScenarioSchema, key);
          if (homes.length) message += `; it belongs under ${code(homes.slice(0, 3))}, not here`;
          else if (names.length) message += `; fields here: ${names.join(", ")}`;
        }
        return {
          offset: locate(keyPath, "key"),
          path: formatPath(keyPath),
          message,
          found: key,
          allowed: names.join(", "),
          ...(suggestion ? { suggestion, explains: formatPath([...path, suggestion]) } : {}),
        };
      });
    }

    case "invalid_type": {
      if (path.length === 0) {
        const req = requiredFields(ScenarioSchema);
        const message =
          value === null || value === undefined
            ? `the file is empty; a scenario is a mapping with at least ${req.join(", ")}`
            : `a scenario is a mapping with at least ${req.join(", ")}; got ${show(value)}`;
        return [{ offset: 0, path: "", message, ...found }];
      }
      const expected = schemas[0] ? expectation(schemas[0]) : (TYPE_WORDS[issue.expected] ?? issue.expected);
      if (isMissing) return [missing(expected)];
      let message = `expected ${expected}, got ${show(value)}`;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) && (issue.expected === "number" || issue.expected === "int")) {
        message += " (a string: write the number without quotes)";
      }
      if (issue.expected === "int" && typeof value === "number") message = `must be a whole number, got ${value}`;
      return [{ offset: at("value"), path: p, message, ...found, allowed: expected }];
    }

    case "too_big":
    case "too_small": {
      const big = issue.code === "too_big";
      const limit = Number(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
      const inclusive = issue.inclusive !== false;
      const origin = issue.origin;
      if (origin === "array" || origin === "set" || origin === "string") {
        const unit = origin === "string" ? "character" : "item";
        const size = typeof value === "string" || Array.isArray(value) ? value.length : undefined;
        const plural = (n: number) => `${n} ${unit}${n === 1 ? "" : "s"}`;
        const bound = inclusive ? limit : big ? limit - 1 : limit + 1;
        const allowed = `${big ? "at most" : "at least"} ${plural(bound)}`;
        const got = size === undefined ? "" : size === 0 ? (origin === "string" ? ", got an empty string" : ", got an empty list") : `, got ${plural(size)}`;
        return [{ offset: at("value"), path: p, message: `must have ${allowed}${got}`, allowed, ...found }];
      }
      const bounds = schemas[0] ? numericBounds(schemas[0]) : {};
      const lo = big ? bounds.lo : { value: limit, inclusive };
      const hi = big ? { value: limit, inclusive } : bounds.hi;
      const allowed = rangeText(lo, hi);
      const verb = big ? (inclusive ? "at most" : "less than") : inclusive ? "at least" : "greater than";
      return [
        {
          offset: at("value"),
          path: p,
          message: `must be ${verb} ${limit}${allowed ? ` (allowed ${allowed})` : ""}, got ${show(value)}`,
          ...(allowed ? { allowed } : {}),
          ...found,
        },
      ];
    }

    case "invalid_format": {
      const unit = schemas[0] ? unitKind(schemas[0]) : undefined;
      let message: string;
      if (unit) message = `expected ${unit}, got ${show(value)}`;
      else if (!isDefaultMessage(issue.message)) message = /\bgot\b/.test(issue.message) ? issue.message : `${issue.message}; got ${show(value)}`;
      else message = `must match ${"pattern" in issue && issue.pattern ? issue.pattern : `the ${issue.format} format`}, got ${show(value)}`;
      return [{ offset: at("value"), path: p, message, ...found, ...(unit ? { allowed: unit } : {}) }];
    }

    case "invalid_value": {
      const allowedValues = issue.values.map(String);
      const allowed = allowedValues.join(", ");
      if (isMissing) return [missing(allowedValues.length === 1 ? allowed : `one of ${allowed}`)];
      const suggestion = suggestValue(value, allowedValues);
      const name = field ?? "value";
      const rule = allowedValues.length === 1 ? `${name} must be ${allowed}` : `${name} must be one of ${allowed}`;
      return [
        {
          offset: at("value"),
          path: p,
          message: `${rule}; got ${show(value)}${suggestion ? `; did you mean \`${suggestion}\`?` : ""}`,
          allowed,
          ...found,
          ...(suggestion ? { suggestion } : {}),
        },
      ];
    }

    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (discriminator !== undefined) {
        const allowedValues = (options ?? []).map(String);
        const allowed = allowedValues.join(", ");
        if (isMissing) return [missing(`one of ${allowed}`)];
        const suggestion = suggestValue(value, allowedValues);
        const rule = allowedValues.length === 1 ? `${discriminator} must be ${allowed}` : `${discriminator} must be one of ${allowed}`;
        return [
          {
            offset: at("value"),
            path: p,
            message: `${rule}; got ${show(value)}${suggestion ? `; did you mean \`${suggestion}\`?` : ""}`,
            allowed,
            ...found,
            ...(suggestion ? { suggestion } : {}),
          },
        ];
      }
      const expected = schemas[0] ? expectation(schemas[0]) : undefined;
      if (isMissing) return [missing(expected)];
      const message = expected ? `expected ${expected}, got ${show(value)}` : isDefaultMessage(issue.message) ? `${show(value)} is not allowed here` : issue.message;
      return [{ offset: at("value"), path: p, message, ...found, ...(expected ? { allowed: expected } : {}) }];
    }

    case "not_multiple_of":
      return [{ offset: at("value"), path: p, message: `must be a multiple of ${String(issue.divisor)}, got ${show(value)}`, ...found }];

    case "custom": {
      // Unit fields report their own range ("… is out of range: allowed 24 h to 8760 h"); cross-field checks
      // name both fields. A value filled in by a default is not in the file: point at its nearest ancestor.
      const range = /allowed (.+)$/.exec(issue.message)?.[1];
      // A cross-field "is required" check on an absent field is a missing field: a misspelling can explain it.
      const absent = isMissing && / is required\b/.test(issue.message) ? { missing: p } : {};
      return [{ offset: at("value"), path: p, message: issue.message, ...found, ...(range ? { allowed: range } : {}), ...absent }];
    }

    default:
      return [{ offset: at("value"), path: p, message: isDefaultMessage(issue.message) ? `${issue.message} (got ${show(value)})` : issue.message, ...found }];
  }
}

/** A misspelt required field is reported once, as the misspelling, not again as a missing field. */
function dropExplained(problems: Tagged[]): Tagged[] {
  const explained = new Set(problems.flatMap((pr) => (pr.explains === undefined ? [] : [pr.explains])));
  return problems.filter((pr) => pr.missing === undefined || !explained.has(pr.missing));
}

function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .map((pr, i) => ({ pr, i }))
    .sort((a, b) => a.pr.line - b.pr.line || a.pr.column - b.pr.column || a.i - b.i)
    .map(({ pr }) => pr)
    .filter((pr) => {
      const key = formatProblem(pr);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

// ---------------------------------------------------------------------------------------------------------
// YAML details.

function yamlMessage(code: string, message: string): string {
  switch (code) {
    case "TAB_AS_INDENT":
      return "tabs are not allowed for indentation in YAML; indent with spaces";
    case "MULTIPLE_DOCS":
      return "the file holds more than one YAML document (a line with ---); a scenario file holds one";
    case "BAD_INDENT":
      return `${message.replace(/\.$/, "")} (check the indentation)`;
    case "MISSING_CHAR":
      return message.startsWith("Sequence item") ? `${message} (check the indentation)` : message;
    case "BLOCK_AS_IMPLICIT_KEY":
      return `${message} (a value containing ": " needs quotes)`;
    default:
      return message.replace(/\.$/, "");
  }
}

interface Duplicate {
  path: PropertyKey[];
  key: Node;
  first: Node;
}

function duplicateKeys(doc: Document): Duplicate[] {
  const out: Duplicate[] = [];
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first) out.push({ path: [...path, name], key: pair.key, first });
        else seen.set(name, pair.key);
        walk(pair.value, [...path, name]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return out.filter((d) => d.key.range && d.first.range);
}

function firstUnresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!found && node.resolve(doc) === undefined) found = node;
    },
  });
  return found && found.range ? found : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// JSON grammar (RFC 8259), to report a .json file's syntax errors by offset whatever the Node version's
// JSON.parse messages say. Only checks; the values come from the YAML parser, which keeps source ranges.

class JsonFail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The first syntax error in a JSON text, or undefined. Whitespace-only text passes (the schema reports it). */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (offset: number, message: string): never => {
    throw new JsonFail(offset, message);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describeAt = (j: number) => (j >= text.length ? "the end of the file" : `\`${text[j]}\``);

  const string = () => {
    const startAt = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "\n") fail(startAt, "unterminated string");
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail(i, `invalid escape \\${e ?? ""} in a string`);
        continue;
      }
      if (c!.charCodeAt(0) < 0x20) fail(i, "control character in a string (write \\t or \\n)");
      i++;
    }
  };

  const value = (depth: number): void => {
    if (depth > 512) fail(i, "nested too deeply");
    ws();
    const c = text[i];
    if (c === "{") return object(depth);
    if (c === "[") return array(depth);
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const match = m.exec(text);
      const end = match ? i + match[0].length : i;
      if (!match || /[\w.+-]/.test(text[end] ?? "")) fail(i, `invalid number ${JSON.stringify(/^[\w.+-]*/.exec(text.slice(i))![0])}`);
      i = end;
      return;
    }
    if (c === "'") fail(i, "strings need double quotes in JSON");
    if (c === "/" || c === "#") fail(i, "comments are not allowed in JSON");
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = i;
    const w = word.exec(text)?.[0];
    if (w === "true" || w === "false" || w === "null") {
      i += w.length;
      return;
    }
    if (w) fail(i, `expected a value, got \`${w}\` (strings need double quotes)`);
    fail(i, `expected a value, got ${describeAt(i)}`);
  };

  const object = (depth: number) => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    let comma = -1;
    for (;;) {
      ws();
      if (text[i] === "}" && comma >= 0) fail(comma, "trailing comma before `}` (not allowed in JSON)");
      if (text[i] === "'") fail(i, "property names need double quotes in JSON");
      if (text[i] === "/" || text[i] === "#") fail(i, "comments are not allowed in JSON");
      if (text[i] !== '"') fail(i, `expected a property name in double quotes, got ${describeAt(i)}`);
      string();
      ws();
      if (text[i] !== ":") fail(i, `expected \`:\` after the property name, got ${describeAt(i)}`);
      i++;
      value(depth + 1);
      ws();
      if (text[i] === ",") {
        comma = i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      if (text[i] === "/" || text[i] === "#") fail(i, "comments are not allowed in JSON");
      fail(i, i >= text.length ? "unexpected end of file: missing `}`" : `expected \`,\` or \`}\` after a property value, got ${describeAt(i)}`);
    }
  };

  const array = (depth: number) => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    let comma = -1;
    for (;;) {
      ws();
      if (text[i] === "]" && comma >= 0) fail(comma, "trailing comma before `]` (not allowed in JSON)");
      value(depth + 1);
      ws();
      if (text[i] === ",") {
        comma = i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      if (text[i] === "/" || text[i] === "#") fail(i, "comments are not allowed in JSON");
      fail(i, i >= text.length ? "unexpected end of file: missing `]`" : `expected \`,\` or \`]\` after a list item, got ${describeAt(i)}`);
    }
  };

  try {
    ws();
    if (i >= text.length) return undefined;
    value(0);
    ws();
    if (i < text.length) fail(i, "unexpected text after the end of the JSON value");
    return undefined;
  } catch (e) {
    if (e instanceof JsonFail) return { offset: e.offset, message: e.message };
    throw e;
  }
}
