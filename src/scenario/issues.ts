// zod issues → problems in words: the field's path, what was found, what is allowed there (ranges, values,
// units) and the nearest valid spelling; each at the source offset of the value, the key or the parent.

import type { z } from "zod";
import { ScenarioSchema } from "../spec/index.js";
import { expectation, numericBounds, rangeText, requiredFields, TYPE_WORDS, unitKind } from "./expectations.js";
import type { Locate } from "./positions.js";
import { formatPath, type Problem } from "./problem.js";
import { dataAt, fieldHomes, fieldNamesAt, otherOptionsWithField, schemasAt, suggestField, suggestValue } from "./suggest.js";

type Issue = z.core.$ZodIssue;

/** A problem before it has a file and a position: the source offset it points at. */
export type Unplaced = Omit<Problem, "file" | "line" | "column"> & { offset: number };

/**
 * The problems that a scenario's validation issues describe, each at the offset `locate` finds for its field.
 * A misspelt required field is reported once, as the misspelling, not again as a missing field.
 */
export function issueProblems(issues: readonly Issue[], data: unknown, locate: Locate): Unplaced[] {
  return dropExplained(issues.flatMap((issue) => describeIssue(issue, data, locate))).map(({ missing: _m, explains: _e, ...p }) => p);
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

/** Names as code in a message: `a`, `b`. */
function code(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(", ");
}

interface Tagged extends Unplaced {
  /** The field this problem reports as missing (so a misspelling of it can explain it away). */
  missing?: string;
  /** For a misspelt key: the field it was meant to be. */
  explains?: string;
}

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

  /** A value that is none of the allowed ones, with the nearest allowed spelling. */
  const notOneOf = (name: string, allowedValues: readonly string[]): Tagged => {
    const allowed = allowedValues.join(", ");
    const suggestion = suggestValue(value, allowedValues);
    const rule = allowedValues.length === 1 ? `${name} must be ${allowed}` : `${name} must be one of ${allowed}`;
    return {
      offset: at("value"),
      path: p,
      message: `${rule}; got ${show(value)}${suggestion ? `; did you mean \`${suggestion}\`?` : ""}`,
      allowed,
      ...found,
      ...(suggestion ? { suggestion } : {}),
    };
  };

  // A bare number in a unit field: the field's own message says which unit to add ("such as "2000/s"").
  const unit = schemas[0] ? unitKind(schemas[0]) : undefined;
  const bareNumber: Tagged | undefined =
    unit && typeof value === "number" && !isDefaultMessage(issue.message) ? { offset: at("value"), path: p, message: issue.message, ...found, allowed: /allowed (.+)$/.exec(issue.message)?.[1] ?? unit } : undefined;

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
      // A field refused where it stands (z.never with a message: a Lambda consumer's sink's `buffer`): why, at its key.
      if (issue.expected === "never") return [{ offset: at("key"), path: p, message: issue.message, ...found }];
      const expected = schemas[0] ? expectation(schemas[0]) : (TYPE_WORDS[issue.expected] ?? issue.expected);
      if (isMissing) return [missing(expected)];
      if (bareNumber) return [bareNumber];
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
      let limit = Number(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
      let inclusive = issue.inclusive !== false;
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
      // A whole-number field checks the safe-integer range too (±9007199254740991): a value past it (1e308) is
      // reported against the field's own, narrower range, the same problem as its range check's.
      const own = big ? bounds.hi : bounds.lo;
      if (own && (big ? own.value < limit : own.value > limit)) {
        limit = own.value;
        inclusive = own.inclusive;
      }
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
      return [notOneOf(field ?? "value", allowedValues)];
    }

    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (discriminator !== undefined) {
        const allowedValues = (options ?? []).map(String);
        if (isMissing) return [missing(`one of ${allowedValues.join(", ")}`)];
        return [notOneOf(discriminator, allowedValues)];
      }
      const expected = schemas[0] ? expectation(schemas[0]) : undefined;
      if (isMissing) return [missing(expected)];
      if (bareNumber) return [bareNumber];
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
