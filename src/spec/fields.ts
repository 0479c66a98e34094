// Field builders for the scenario schema: unit strings that parse to internal units with range checks,
// so the schema stays the single source of types, defaults, ranges and error messages.

import { z } from "zod";
import { BYTE_RATE_PATTERN, DURATION_PATTERN, RECORD_RATE_PATTERN, SIZE_PATTERN, UnitError, formatDuration, formatSize, parseByteRate, parseDuration, parseRecordRate, parseSize } from "./units.js";

type Parser = (v: string | number) => number;

type Unit = "duration" | "size" | "record rate" | "byte rate";

function unitField(unit: Unit, pattern: string, parse: Parser, describe: (v: number) => string, min: number, max: number, kind: string) {
  const expected = (iss: { input?: unknown }) => `expected ${kind}, got ${JSON.stringify(iss.input)}`;
  return z
    // The regex needs the message too: when a string fails it, zod reports the string option's issue rather
    // than the union's, and its default text ("Invalid string: must match pattern /^\s*(\d[\d_]*…/") helps nobody.
    .union([z.string().regex(new RegExp(pattern), { error: expected }), z.number()], { error: expected })
    .transform((value, ctx) => {
      let parsed: number;
      try {
        parsed = parse(value);
      } catch (e) {
        ctx.issues.push({ code: "custom", message: e instanceof UnitError ? e.message : String(e), input: value });
        return z.NEVER;
      }
      if (parsed < min || parsed > max) {
        ctx.issues.push({
          code: "custom",
          message: `${JSON.stringify(value)} is out of range: allowed ${describe(min)} to ${describe(max)}`,
          input: value,
        });
        return z.NEVER;
      }
      return parsed;
    })
    // The range lives in the transform, so publish it for the JSON Schema and docs/scenario-reference.md.
    .meta({ "x-unit": unit, "x-range": `${describe(min)} to ${describe(max)}` });
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
