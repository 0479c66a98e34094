// A scenario file's text → its YAML document, with each node's source range, and its data; or its syntax
// problems at file:line:column. YAML and JSON both go through the `yaml` parser, which keeps the ranges; a
// .json file is first checked against the JSON grammar so YAML-only syntax in it is reported as a JSON error.

import { type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from "yaml";
import { hasLoneSurrogate } from "./encoding.js";
import { jsonSyntaxError } from "./jsonSyntax.js";
import { type Position, positioner } from "./positions.js";
import { formatPath, type Problem, sortProblems } from "./problem.js";

/** A file's text (less a byte order mark), its document, and the line:column of an offset into the text. */
export interface Source {
  src: string;
  doc: Document;
  at: (offset: number) => Position;
}

/**
 * Parses a file's text into a document. To "check" it, duplicate keys are errors; to "locate" fields in a
 * file that has already been checked, the parser is lenient and silent.
 */
export function readDocument(text: string, purpose: "check" | "locate"): Source {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  // logLevel "error": the yaml package would otherwise print warnings to the process (e.g. for a mapping used
  // as a key); whatever such input means, the schema then reports it as a problem with a position.
  const options = purpose === "check" ? ({ uniqueKeys: true, logLevel: "error" } as const) : ({ uniqueKeys: false, logLevel: "silent" } as const);
  const doc = parseDocument(src, { lineCounter, prettyErrors: false, ...options });
  return { src, doc, at: positioner(src, lineCounter) };
}

export type Parsed = ({ ok: true; data: unknown } & Source) | { ok: false; problems: Problem[] };

/** The file's data (not yet validated) and its document, or its syntax problems. `file` picks JSON (.json) or YAML. */
export function parseFile(text: string, file: string): Parsed {
  const source = readDocument(text, "check");
  const { src, doc, at } = source;
  const json = /\.json$/i.test(file);
  const problem = (offset: number, path: string, message: string): Problem => ({ file, ...at(offset), path, message });

  if (json) {
    const err = jsonSyntaxError(src, MAX_NESTING);
    if (err) return { ok: false, problems: [problem(err.offset, "", `JSON syntax error: ${err.message}`)] };
  }

  if (doc.errors.length > 0) {
    const syntax = json ? "JSON" : "YAML";
    // After a real syntax error the parser's later complaints are mostly its own confusion: report the first.
    // Duplicate keys leave the parse intact, so all of them are reported, each with where the key came first.
    const first = doc.errors.find((e) => e.code !== "DUPLICATE_KEY");
    if (first?.code === "RESOURCE_EXHAUSTION") return { ok: false, problems: [problem(first.pos[0], "", `${syntax} error: ${TOO_DEEP}`)] };
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

  const unusual = unusualNode(doc);
  if (unusual) return { ok: false, problems: [problem(unusual.offset, unusual.path, unusual.message)] };

  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) as unknown, ...source };
  } catch (e) {
    const alias = firstUnresolvedAlias(doc);
    if (alias) return { ok: false, problems: [problem(alias.range![0], "", `YAML error: unknown alias *${alias.source} (its anchor &${alias.source} must come before it)`)] };
    return { ok: false, problems: [problem(0, "", `YAML error: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

/** The deepest nesting of lists and mappings a scenario file may have: real scenarios nest fewer than 10 levels. */
export const MAX_NESTING = 64;
const TOO_DEEP = `nesting too deep (limit ${MAX_NESTING} levels of lists and mappings)`;

/** The tags of plain data (YAML 1.2 core schema); any other tag (`!!python/object`, `!foo`, `!!binary`) is refused. */
const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

function shownTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

/**
 * The first node, in file order, that a scenario cannot hold: one nested deeper than MAX_NESTING, one with a tag
 * other than plain data's, a string with a lone UTF-16 surrogate (a `\ud800` escape). Walks without recursion.
 */
function unusualNode(doc: Document): { offset: number; path: string; message: string } | undefined {
  const found: { offset: number; path: string; message: string }[] = [];
  const stack: { node: unknown; depth: number; path: PropertyKey[] }[] = [{ node: doc.contents, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isPair(node)) {
      const key = isScalar(node.key) ? node.key.value : undefined;
      const valuePath = typeof key === "string" || typeof key === "number" ? [...path, key] : path;
      stack.push({ node: node.value, depth, path: valuePath }, { node: node.key, depth, path });
      continue;
    }
    const n = node as Node;
    const offset = n.range?.[0] ?? 0;
    const at = formatPath(path);
    if (n.tag !== undefined && !PLAIN_TAGS.has(n.tag)) {
      found.push({ offset, path: at, message: `YAML error: unknown tag \`${shownTag(n.tag)}\`: a scenario holds plain data (mappings, lists, strings, numbers, booleans); remove the tag` });
      continue;
    }
    if (isScalar(n)) {
      if (typeof n.value === "string" && hasLoneSurrogate(n.value)) {
        found.push({ offset, path: at, message: "a string holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is not text" });
      }
      continue;
    }
    if (isMap(n) || isSeq(n)) {
      if (depth > MAX_NESTING) {
        found.push({ offset, path: "", message: `YAML error: ${TOO_DEEP}` });
        continue;
      }
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i], depth: depth + 1, path: isSeq(n) ? [...path, i] : path });
    }
  }
  return found.sort((a, b) => a.offset - b.offset)[0];
}

/** The yaml package's error message, reworded where a scenario author needs the cause. */
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

/** Every key that its mapping already has, with where the first one stands. */
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

/** The first alias (`*name`) without an anchor before it, if it has a position. */
function firstUnresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!found && node.resolve(doc) === undefined) found = node;
    },
  });
  return found && found.range ? found : undefined;
}
