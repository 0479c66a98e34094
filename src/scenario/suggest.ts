// "Did you mean …?" for scenario files: the nearest valid field name or value by edit distance, with the valid
// names read from the zod schema itself at the place of the mistake, so suggestions never drift from the schema.

import type { z } from "zod";

type Schema = z.core.$ZodType;
type Key = PropertyKey;

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein restricted to non-overlapping transpositions): the
 * number of insertions, deletions, substitutions and swaps of two adjacent characters that turn `a` into `b`.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  // Three rolling rows: d[i-2], d[i-1], d[i].
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** How many edits still count as a typo of a name this long: 1 up to 5 characters, then a third of it, at most 3. */
export function typoThreshold(length: number): number {
  return Math.max(1, Math.min(3, Math.floor(length / 3)));
}

/**
 * The candidate that `word` is most plausibly a typo of, or undefined. Case is ignored when measuring (so
 * `partitionkey` finds `partitionKey`); a match must be within typoThreshold of the candidate's length and
 * leave at least one character of the shorter name untouched. Ties go to the closer exact-case spelling, then
 * to the earlier candidate, so the answer is deterministic.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; d: number; exact: number } | undefined;
  for (const name of candidates) {
    if (name === word) return undefined; // not a typo at all
    const d = editDistance(lower, name.toLowerCase());
    if (d > typoThreshold(name.length) || d >= Math.min(word.length, name.length)) {
      if (d !== 0) continue; // a case-only difference always qualifies
    }
    const exact = editDistance(word, name);
    if (!best || d < best.d || (d === best.d && exact < best.exact)) best = { name, d, exact };
  }
  return best?.name;
}

/** A value's nearest allowed spelling (enum values, discriminators); only strings get suggestions. */
export function suggestValue(value: unknown, allowed: readonly string[]): string | undefined {
  return typeof value === "string" ? nearest(value, allowed) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Walking the schema.

interface WrapperDef {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
}

/** Strips default/prefault/optional/nullable/readonly/catch/lazy and follows pipes into their input side. */
export function unwrapSchema(schema: Schema): Schema {
  let s = schema;
  for (let guard = 0; guard < 100; guard++) {
    const def = s._zod.def as unknown as WrapperDef;
    if (def.innerType && ["default", "prefault", "optional", "nullable", "readonly", "nonoptional", "catch"].includes(def.type)) {
      s = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      s = def.in;
    } else if (def.type === "lazy" && def.getter) {
      s = def.getter();
    } else {
      return s;
    }
  }
  return s;
}

function defOf<D>(schema: Schema): D {
  return schema._zod.def as unknown as D;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The literal values a (possibly wrapped) literal or enum schema accepts, as strings. */
export function literalValues(schema: Schema): string[] {
  const s = unwrapSchema(schema);
  const def = defOf<{ type: string; values?: unknown[]; entries?: Record<string, unknown> }>(s);
  if (def.type === "literal" && def.values) return def.values.map(String);
  if (def.type === "enum" && def.entries) return Object.values(def.entries).map(String);
  return [];
}

/** For a discriminated union: the discriminator key and the options; undefined for anything else. */
export function discriminatedUnion(schema: Schema): { discriminator: string; options: Schema[] } | undefined {
  const def = defOf<{ type: string; discriminator?: string; options?: Schema[] }>(unwrapSchema(schema));
  if (def.type === "union" && def.discriminator !== undefined && def.options) return { discriminator: def.discriminator, options: def.options };
  return undefined;
}

/** The discriminator values a discriminated union accepts, in schema order. */
export function discriminatorValues(schema: Schema): string[] {
  const du = discriminatedUnion(schema);
  if (!du) return [];
  return du.options.flatMap((o) => {
    const field = objectShape(o)?.[du.discriminator];
    return field ? literalValues(field) : discriminatorValues(o);
  });
}

function objectShape(schema: Schema): Record<string, Schema> | undefined {
  const def = defOf<{ type: string; shape?: Record<string, Schema> }>(unwrapSchema(schema));
  return def.type === "object" ? def.shape : undefined;
}

/**
 * The concrete (non-union) schemas a value could be checked against: unions are opened; a discriminated union
 * whose discriminator matches the value's keeps only that option, otherwise all its options.
 */
function branches(schema: Schema, data: unknown, out: Schema[] = []): Schema[] {
  const s = unwrapSchema(schema);
  const def = defOf<{ type: string; options?: Schema[]; discriminator?: string }>(s);
  if (def.type !== "union" || !def.options) {
    if (!out.includes(s)) out.push(s);
    return out;
  }
  let options = def.options;
  if (def.discriminator !== undefined && isPlainObject(data)) {
    const value = data[def.discriminator];
    const chosen = options.filter((o) => {
      const field = objectShape(o)?.[def.discriminator!];
      return field ? literalValues(field).includes(String(value)) : false;
    });
    if (chosen.length > 0) options = chosen;
  }
  for (const o of options) branches(o, data, out);
  return out;
}

function child(schema: Schema, key: Key): Schema | undefined {
  const def = defOf<{ type: string; shape?: Record<string, Schema>; element?: Schema }>(schema);
  if (def.type === "object" && def.shape && typeof key === "string") return Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
  if (def.type === "array" && def.element && (typeof key === "number" || /^\d+$/.test(String(key)))) return def.element;
  return undefined;
}

function dataChild(data: unknown, key: Key): unknown {
  if (Array.isArray(data) && typeof key === "number") return data[key];
  if (isPlainObject(data) && typeof key === "string") return data[key];
  return undefined;
}

/**
 * The schemas that apply at `path` in `data` (more than one where a union could not be narrowed). Each is the
 * field's schema as declared, wrappers included (so defaults and descriptions are still visible).
 */
export function schemasAt(root: Schema, path: readonly Key[], data: unknown): Schema[] {
  let here: { schema: Schema; data: unknown }[] = [{ schema: root, data }];
  for (const key of path) {
    const next: { schema: Schema; data: unknown }[] = [];
    for (const { schema, data: d } of here) {
      for (const b of branches(schema, d)) {
        const c = child(b, key);
        if (c && !next.some((n) => n.schema === c)) next.push({ schema: c, data: dataChild(d, key) });
      }
    }
    here = next;
    if (here.length === 0) break;
  }
  return here.map((h) => h.schema);
}

/** The value in `data` at `path`, or undefined. */
export function dataAt(data: unknown, path: readonly Key[]): unknown {
  let d = data;
  for (const key of path) d = dataChild(d, key);
  return d;
}

/** The field names valid in the mapping at `path` (the union of all options where the option is unknown). */
export function fieldNamesAt(root: Schema, path: readonly Key[], data: unknown): string[] {
  const here = dataAt(data, path);
  const names: string[] = [];
  for (const s of schemasAt(root, path, data)) {
    for (const b of branches(s, here)) {
      for (const name of Object.keys(objectShape(b) ?? {})) if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/**
 * For a key that is not valid in the chosen option of a discriminated union but is in others: the
 * discriminator and the values of the options that have it (`mean` under `shape: constant` → shape: diurnal).
 */
export function otherOptionsWithField(
  root: Schema,
  parentPath: readonly Key[],
  data: unknown,
  key: string,
): { discriminator: string; current: unknown; values: string[] } | undefined {
  const here = dataAt(data, parentPath);
  if (!isPlainObject(here)) return undefined;
  for (const s of schemasAt(root, parentPath, data)) {
    const du = discriminatedUnion(s);
    if (!du) continue;
    const values = du.options.flatMap((o) => {
      const shape = objectShape(o);
      const field = shape?.[du.discriminator];
      return shape && field && Object.hasOwn(shape, key) ? literalValues(field) : [];
    });
    if (values.length > 0) return { discriminator: du.discriminator, current: here[du.discriminator], values };
  }
  return undefined;
}

/** The valid field name nearest to an unrecognized `key` in the mapping at `parentPath`. */
export function suggestField(root: Schema, parentPath: readonly Key[], data: unknown, key: string): string | undefined {
  return nearest(key, fieldNamesAt(root, parentPath, data));
}

/**
 * Where else in the schema a field of this exact name exists, as display paths ("stream", "producers[].retry"),
 * nearest first: for a field written at the wrong level, such as `shards` at the top instead of under `stream`.
 */
export function fieldHomes(root: Schema, key: string, maxDepth = 4): string[] {
  const homes: string[] = [];
  const seen = new Set<Schema>();
  let level: { schema: Schema; path: string }[] = [{ schema: root, path: "" }];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: { schema: Schema; path: string }[] = [];
    for (const { schema, path } of level) {
      for (const b of branches(schema, undefined)) {
        if (seen.has(b)) continue;
        seen.add(b);
        const def = defOf<{ type: string; shape?: Record<string, Schema>; element?: Schema }>(b);
        if (def.type === "object" && def.shape) {
          if (Object.hasOwn(def.shape, key) && path !== "" && !homes.includes(path)) homes.push(path);
          for (const [name, s] of Object.entries(def.shape)) next.push({ schema: s, path: path ? `${path}.${name}` : name });
        } else if (def.type === "array" && def.element) {
          next.push({ schema: def.element, path: `${path}[]` });
        }
      }
    }
    level = next;
  }
  return homes;
}
