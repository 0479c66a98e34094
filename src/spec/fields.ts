// Field builders for the scenario schema: unit strings that parse to internal units with range checks,
// so the schema stays the single source of types, defaults, ranges and error messages.

import { z } from "zod";
import { BYTE_RATE_PATTERN, DURATION_PATTERN, RECORD_RATE_PATTERN, SIZE_PATTERN, UnitError, formatDuration, formatSize, parseByteRate, parseDuration, parseRecordRate, parseSize } from "./units.js";

type Parser = (v: string | number) => number;

type Unit = "duration" | "size" | "record rate" | "byte rate";

function unitField(unit: Unit, pattern: string, parse: Parser, describe: (v: number) => string, min: number, max: number, kind: string) {
  const range = `${describe(min)} to ${describe(max)}`;
  const outOfRange = (value: unknown) => `${JSON.stringify(value)} is out of range: allowed ${range}`;
  // A bare number gets the parser's message, which names the units ("a record rate needs a unit: /s, /m or /h,
  // such as "2000/s" …"), and the range; a 0 where 0 is not allowed the range's; anything else the expected form
  // with examples.
  const expected = (iss: { input?: unknown }) => {
    const input = iss.input;
    if (typeof input === "number") {
      if (input === 0) return outOfRange(input);
      try {
        parse(input);
      } catch (e) {
        if (e instanceof UnitError) return `${e.message}; allowed ${range}`;
      }
    }
    return `expected ${kind}, got ${JSON.stringify(input)}`;
  };
  // The regex needs the message too: when a string fails it, zod reports the string option's issue rather
  // than the union's, and its default text ("Invalid string: must match pattern /^\s*(\d[\d_]*…/") helps nobody.
  const text = z.string({ error: expected }).regex(new RegExp(pattern), { error: expected });
  // Values need their unit; a bare 0 is 0 in any unit, so it is allowed where the range holds 0. The input side
  // is what the JSON Schema publishes: the unit pattern, and `0` only where validation takes it.
  const options = min <= 0 && max >= 0 ? ([text, z.literal(0)] as const) : ([text] as const);
  return z
    .union(options, { error: expected })
    .transform((value, ctx) => {
      let parsed: number;
      try {
        parsed = parse(value);
      } catch (e) {
        ctx.issues.push({ code: "custom", message: e instanceof UnitError ? e.message : String(e), input: value });
        return z.NEVER;
      }
      if (parsed < min || parsed > max) {
        ctx.issues.push({ code: "custom", message: outOfRange(value), input: value });
        return z.NEVER;
      }
      return parsed;
    })
    // The range lives in the transform, so publish it for the JSON Schema and docs/scenario-reference.md.
    .meta({ "x-unit": unit, "x-range": range });
}

/** A duration ("250ms", "5m", "2h"); parses to whole microseconds. */
export function duration(min: number, max: number) {
  return unitField("duration", DURATION_PATTERN, parseDuration, formatDuration, min, max, "a duration such as 250ms, 30s, 5m or 2h");
}

/** A size ("512B", "1KiB", "5MiB"); parses to bytes. */
export function size(min: number, max: number) {
  return unitField("size", SIZE_PATTERN, parseSize, formatSize, min, max, "a size such as 512B, 1KiB or 5MiB");
}

/** A record rate ("2000/s", "90000/m"); parses to records per second. */
export function recordRate(min = 0, max = 1e12) {
  return unitField("record rate", RECORD_RATE_PATTERN, parseRecordRate, (v) => `${v}/s`, min, max, "a record rate such as 2000/s or 90000/m");
}

/** A byte rate ("3MiB/s"); parses to bytes per second. */
export function byteRate(min = 0, max = 1e15) {
  return unitField("byte rate", BYTE_RATE_PATTERN, parseByteRate, (v) => `${formatSize(v)}/s`, min, max, "a byte rate such as 512KiB/s or 3MiB/s");
}
