// What a schema expects, in words, for messages about missing fields and wrong values: "a whole number
// (1..10000)", "a duration such as 250ms, 30s, 5m or 2h", "one of a, b", "a mapping (required: shards)".

import { z } from "zod";
import { discriminatedUnion, discriminatorValues, literalValues, unwrapSchema } from "./suggest.js";
import { BYTE_RATE_PATTERN, DURATION_PATTERN, RECORD_RATE_PATTERN, SIZE_PATTERN } from "../spec/units.js";

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

/** One end of a number's allowed range. */
export interface Bound {
  value: number;
  inclusive: boolean;
}

function checksOf(schema: Schema): CheckDef[] {
  const checks = (schema._zod.def as { checks?: { _zod: { def: unknown } }[] }).checks ?? [];
  return checks.map((c) => c._zod.def as CheckDef);
}

/** A number schema's lower and upper bounds, from its checks. */
export function numericBounds(schema: Schema): { lo?: Bound; hi?: Bound } {
  const out: { lo?: Bound; hi?: Bound } = {};
  for (const c of checksOf(unwrapSchema(schema))) {
    if (c.check === "greater_than" && c.value !== undefined) out.lo = { value: c.value, inclusive: c.inclusive ?? true };
    if (c.check === "less_than" && c.value !== undefined) out.hi = { value: c.value, inclusive: c.inclusive ?? true };
  }
  return out;
}

/** `1..10000` where both ends are inclusive, else e.g. `> 0 and ≤ 1`; undefined without bounds. */
export function rangeText(lo?: Bound, hi?: Bound): string | undefined {
  if (lo && hi && lo.inclusive && hi.inclusive) return `${lo.value}..${hi.value}`;
  const parts: string[] = [];
  if (lo) parts.push(`${lo.inclusive ? "≥" : ">"} ${lo.value}`);
  if (hi) parts.push(`${hi.inclusive ? "≤" : "<"} ${hi.value}`);
  return parts.length ? parts.join(" and ") : undefined;
}

/** For a field written with a unit (a union with a unit pattern): which kind, with examples. */
export function unitKind(schema: Schema): string | undefined {
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

/** An object schema's fields that have no default and are not optional. */
export function requiredFields(schema: Schema): string[] {
  const shape = (unwrapSchema(schema)._zod.def as { shape?: Record<string, Schema> }).shape ?? {};
  return Object.entries(shape)
    .filter(([, s]) => s._zod.optin === undefined)
    .map(([k]) => k);
}

/** A string the schema, or one of the wrappers around it (default, optional, a transform's input), states in its metadata. */
function metaString(schema: Schema, key: string): string | undefined {
  let s: Schema | undefined = schema;
  for (let guard = 0; s && guard < 100; guard++) {
    const v = z.globalRegistry.get(s)?.[key];
    if (typeof v === "string") return v;
    const def = s._zod.def as { type: string; innerType?: Schema; in?: Schema };
    s = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  }
  return undefined;
}

/** One option of a union in words: a unit field with its range ("a duration from 1 min to 168 h"). */
function optionExpectation(schema: Schema): string {
  const unit = metaString(schema, "x-unit");
  const range = metaString(schema, "x-range");
  return unit && range ? `a ${unit} from ${range}` : expectation(schema);
}

/** "a whole number (1..10000)", "a duration such as …", "one of a, b", "a mapping (required: shards)". */
export function expectation(schema: Schema): string {
  // A union can say what it takes in words of its own (`x-expected`); else each option's, joined with "or".
  const own = metaString(schema, "x-expected");
  if (own) return own;
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
    case "union": {
      const options = (s._zod.def as { options?: Schema[] }).options ?? [];
      return options.length ? options.map(optionExpectation).join(" or ") : type;
    }
    default:
      return type;
  }
}

/** zod's type names in words, where the schema at a path is not known. */
export const TYPE_WORDS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};
