// The scenario language reference in Markdown, generated from the JSON Schema (and so from the zod schema):
// docs/scenario-reference.md is this text, checked by a test.

import { scenarioJsonSchema } from "./jsonSchema.js";

type Json = Record<string, unknown>;

interface Row {
  field: string;
  type: string;
  dflt: string;
  description: string;
}

const code = (s: string) => `\`${s}\``;

function isObj(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function variantsOf(s: Json): Json[] | undefined {
  const v = (s.oneOf ?? s.anyOf) as unknown;
  if (!Array.isArray(v)) return undefined;
  const objects = v.filter(isObj).filter((o) => o.type === "object");
  return objects.length === v.length && objects.length > 0 ? objects : undefined;
}

function discriminatorOf(variants: Json[]): string | undefined {
  const first = variants[0]!.properties as Json | undefined;
  if (!first) return undefined;
  return Object.keys(first).find((k) => variants.every((v) => isObj((v.properties as Json)?.[k]) && ((v.properties as Json)[k] as Json).const !== undefined));
}

function typeOf(s: Json): string {
  if (typeof s["x-expected"] === "string") return s["x-expected"];
  if (typeof s["x-unit"] === "string") return `${s["x-unit"]}, ${s["x-range"] as string}`;
  if (s.const !== undefined) return code(String(s.const));
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((e) => code(String(e))).join(" \\| ");
  const v = variantsOf(s);
  if (v) {
    const d = discriminatorOf(v);
    return d ? `object, by ${code(d)}: ${v.map((o) => code(String(((o.properties as Json)[d] as Json).const))).join(", ")}` : "object";
  }
  // A union of other things (-1 or a duration, 2 or 3): each option's type, joined with "or".
  const options = (s.oneOf ?? s.anyOf) as unknown;
  if (Array.isArray(options) && options.length > 0 && options.every(isObj)) return options.map((o) => typeOf(o)).join(" or ");
  switch (s.type) {
    case "integer":
    case "number": {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum as number}` : undefined);
      const hi = s.maximum;
      const range = lo !== undefined || hi !== undefined ? ` ${lo ?? ""}..${hi ?? ""}` : "";
      return `${s.type}${range}`;
    }
    case "string":
      return s.pattern && !String(s.pattern).startsWith("^[A-Za-z0-9_.-]") ? `string matching ${code(String(s.pattern))}` : "string";
    case "array": {
      // A tuple (a merge's two shards): how many, and each one's type.
      const tuple = (Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined) as unknown[] | undefined;
      if (tuple && tuple.length > 0 && tuple.every(isObj)) {
        const types = [...new Set(tuple.map((t) => typeOf(t)))];
        return `list of ${tuple.length}${types.length === 1 ? `, each ${types[0]}` : `: ${types.join(", ")}`}`;
      }
      const items = s.items as Json;
      const min = s.minItems !== undefined ? `, at least ${s.minItems as number}` : "";
      return `list of ${isObj(items) && (items.type === "object" || variantsOf(items)) ? "objects" : typeOf(items)}${min}`;
    }
    case "object":
      return "object";
    case "boolean":
      return "`true` \\| `false`";
    default:
      return "";
  }
}

function describeDefault(s: Json): string {
  if (s.default === undefined) return "";
  const d = s.default;
  if (isObj(d) && Object.keys(d).length === 0) return "(defaults below)";
  return code(typeof d === "string" ? d : JSON.stringify(d));
}

function walk(s: Json, path: string, required: boolean, out: Row[]): void {
  const description = typeof s.description === "string" ? s.description.replaceAll("|", "\\|").replaceAll("\n", " ") : "";
  out.push({ field: code(path), type: typeOf(s), dflt: describeDefault(s) || (required ? "required" : ""), description });
  const variants = variantsOf(s);
  if (variants) {
    const d = discriminatorOf(variants);
    for (const v of variants) {
      const tag = d ? ` (${d}: ${String(((v.properties as Json)[d] as Json).const)})` : "";
      walkProperties(v, `${path}${tag}`, out, d);
    }
    return;
  }
  if (s.type === "object") walkProperties(s, path, out);
  if (s.type === "array" && isObj(s.items)) {
    const items = s.items;
    if (items.type === "object" || variantsOf(items)) {
      const iv = variantsOf(items);
      if (iv) {
        const d = discriminatorOf(iv);
        for (const v of iv) {
          const tag = d ? ` (${d}: ${String(((v.properties as Json)[d] as Json).const)})` : "";
          walkProperties(v, `${path}[]${tag}`, out, d);
        }
      } else walkProperties(items, `${path}[]`, out);
    }
  }
}

function walkProperties(s: Json, path: string, out: Row[], skip?: string): void {
  const props = (s.properties ?? {}) as Json;
  const req = new Set((s.required ?? []) as string[]);
  for (const [k, v] of Object.entries(props)) {
    if (!isObj(v)) continue;
    if (k === skip && v.const !== undefined) continue; // the union's own row lists the choices
    walk(v, path ? `${path}.${k}` : k, req.has(k), out);
  }
}

export function scenarioReferenceMarkdown(): string {
  const schema = scenarioJsonSchema() as Json;
  const rows: Row[] = [];
  walkProperties(schema, "", rows);
  const lines = [
    "| field | type and allowed values | default | description |",
    "| :--- | :--- | :--- | :--- |",
    ...rows.map((r) => `| ${r.field} | ${r.type.replace(/(?<!\\)\|/g, "\\|")} | ${r.dflt} | ${r.description} |`),
  ];
  return lines.join("\n");
}
