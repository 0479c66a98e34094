// `--vary PATH=VALUES`: a scenario field and the values a sweep gives it. PATH is the field's path in the
// scenario file: dots between names, `[n]` or `.n` for a list index, or a list element's `name` in place of its
// index (`producers.web.instances`, `consumers[analytics].workers`). VALUES is a comma-separated list
// (`2,4,8`, `5m,10m`) or a numeric range `start..end:step` (`4..32:4`; the step defaults to 1).

export class SweepError extends Error {}

export type Segment = string | number;

export interface Vary {
  /** As written, for labels. */
  path: string;
  segments: Segment[];
  values: (string | number | boolean)[];
}

const MAX_VALUES = 10_000;

/** Path segments refused outright: they name an object's prototype machinery, never a scenario field. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

export function parseVary(arg: string): Vary {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new SweepError(`--vary "${arg}": expected PATH=VALUES, e.g. stream.shards=2,4,8 or stream.shards=4..32:4`);
  const path = arg.slice(0, eq).trim();
  const spec = arg.slice(eq + 1).trim();
  const segments = parsePath(path, arg);
  const values = parseValues(spec, arg);
  return { path, segments, values };
}

export function parsePath(path: string, context = path): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[([^\]]+)\]/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(path))) {
    const between = path.slice(consumed, m.index);
    if (between !== "" && between !== ".") throw new SweepError(`--vary "${context}": cannot read the path "${path}"`);
    const token = (m[1] ?? m[2])!.trim();
    // No scenario field has these names, and setting one would reach into Object.prototype.
    if (FORBIDDEN_SEGMENTS.has(token)) throw new SweepError(`--vary "${context}": "${token}" cannot be part of a path (no scenario field has that name)`);
    out.push(/^\d+$/.test(token) ? Number(token) : token);
    consumed = re.lastIndex;
  }
  if (out.length === 0 || consumed !== path.length) throw new SweepError(`--vary "${context}": cannot read the path "${path}"`);
  return out;
}

function parseValues(spec: string, context: string): (string | number | boolean)[] {
  const range = /^(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)(?:\s*:\s*(\d+(?:\.\d+)?))?$/.exec(spec);
  if (range) {
    const start = Number(range[1]);
    const end = Number(range[2]);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (!(step > 0)) throw new SweepError(`--vary "${context}": the step of a range must be > 0`);
    if (end < start) throw new SweepError(`--vary "${context}": a range goes up: ${start}..${end} is empty`);
    const n = Math.floor((end - start) / step + 1e-9) + 1;
    if (n > MAX_VALUES) throw new SweepError(`--vary "${context}": ${n} values; at most ${MAX_VALUES}`);
    // start + i·step, never accumulated.
    return Array.from({ length: n }, (_, i) => Number((start + i * step).toPrecision(12)));
  }
  const values = spec.split(",").map((v) => v.trim());
  if (values.some((v) => v === "")) throw new SweepError(`--vary "${context}": an empty value in "${spec}"`);
  if (values.length > MAX_VALUES) throw new SweepError(`--vary "${context}": ${values.length} values; at most ${MAX_VALUES}`);
  return values.map(scalar);
}

function scalar(v: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v)) return Number(v);
  if (v === "true") return true;
  if (v === "false") return false;
  return v;
}

/**
 * For a list whose elements have no `name` (autoscaling's policies): they are picked by index, and which index holds
 * what (its policy or kind), with the path that picks the one meant when its policy or kind is the name given
 * (helper-94: `autoscaling[scaling-utils].maxShards` read only "autoscaling has no element named").
 */
function byIndexHint(list: readonly unknown[], segs: readonly (string | number)[], at: number): string {
  const what = (e: unknown): string | undefined => {
    const o = (typeof e === "object" && e !== null ? e : {}) as { policy?: unknown; kind?: unknown };
    return typeof o.policy === "string" ? `policy ${o.policy}` : typeof o.kind === "string" ? `kind ${o.kind}` : undefined;
  };
  const shown = list.slice(0, 5).map((e, i) => `[${i}]${what(e) ? ` ${what(e)}` : ""}`);
  const more = list.length > 5 ? `, … (${list.length} in all)` : "";
  const meant = list.findIndex((e) => what(e)?.endsWith(` ${String(segs[at])}`));
  const path = (index: number) =>
    [...segs.slice(0, at), index, ...segs.slice(at + 1)].map((x, k) => (typeof x === "number" ? `[${x}]` : k === 0 ? x : `.${x}`)).join("");
  const use = `: use ${path(meant >= 0 ? meant : 0)}`;
  return ` (its elements have no name, so pick one by index${list.length > 0 ? use : ""}; ${list.length === 0 ? "it is empty" : shown.join(", ") + more})`;
}

/** A deep copy of `data` with the field at `segments` set to `value` (the field must exist, or its parent). */
export function applyVary(data: unknown, vary: Pick<Vary, "path" | "segments">, value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let node: unknown = copy;
  const segs = vary.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const where = segs.slice(0, i).map(String).join(".") || "the scenario";
    if (Array.isArray(node)) {
      let index: number;
      if (typeof seg === "number") index = seg;
      else {
        index = node.findIndex((e) => typeof e === "object" && e !== null && (e as { name?: unknown }).name === seg);
        if (index < 0) {
          const names = node.map((e) => (e as { name?: unknown })?.name).filter((n) => typeof n === "string");
          throw new SweepError(`--vary ${vary.path}: ${where} has no element named "${seg}"${names.length ? ` (names: ${names.join(", ")})` : byIndexHint(node, segs, i)}`);
        }
      }
      if (index >= node.length) throw new SweepError(`--vary ${vary.path}: ${where} has ${node.length} element(s); index ${index} is out of range`);
      if (last) node[index] = value;
      else node = node[index];
    } else if (typeof node === "object" && node !== null) {
      const obj = node as Record<string, unknown>;
      const key = String(seg);
      // parsePath refuses these; a path built some other way must not reach the prototype either.
      if (FORBIDDEN_SEGMENTS.has(key)) throw new SweepError(`--vary ${vary.path}: "${key}" cannot be part of a path`);
      // Own fields only: an inherited member (toString, hasOwnProperty) is no scenario field.
      if (last) Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      else {
        if (!Object.hasOwn(obj, key) || obj[key] === undefined) Object.defineProperty(obj, key, { value: {}, writable: true, enumerable: true, configurable: true });
        node = obj[key];
      }
    } else {
      throw new SweepError(`--vary ${vary.path}: ${where} is not an object or a list`);
    }
  }
  return copy;
}
