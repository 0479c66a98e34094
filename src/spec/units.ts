// Units of the scenario language. Sizes are bytes, durations are whole microseconds, rates are per second.
// Decimal and binary prefixes are both accepted and mean what they say: 1 KB = 1,000 B, 1 KiB = 1,024 B (a
// scenario that writes KB, MB or GB gets a warning, since AWS writes "MB" for MiB: src/spec/writtenUnits.ts).
// Every value needs its unit: a bare number is refused with an example ("2000/s"), except 0, which is zero in
// any unit. One rule for all four kinds, so that `value: 2000` cannot mean records/s where `duration: 5` is an
// error; the JSON Schema says the same (src/spec/fields.ts).

import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";

const NUMBER = String.raw`(\d[\d_]*(?:\.\d+)?|\.\d+)`;

export const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1_000,
  KiB: 1_024,
  MB: 1_000_000,
  MiB: 1_048_576,
  GB: 1_000_000_000,
  GiB: 1_073_741_824,
};

export const DURATION_UNITS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: MICROS_PER_SECOND,
  m: 60 * MICROS_PER_SECOND,
  h: 3_600 * MICROS_PER_SECOND,
  d: 86_400 * MICROS_PER_SECOND,
};

const PER_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600 };

export const SIZE_PATTERN = `^\\s*${NUMBER}\\s*(B|KB|KiB|MB|MiB|GB|GiB)\\s*$`;
export const DURATION_PATTERN = `^\\s*${NUMBER}\\s*(us|µs|ms|s|m|h|d)\\s*$`;
export const RECORD_RATE_PATTERN = `^\\s*${NUMBER}\\s*(?:records?)?\\s*/\\s*(s|m|h)\\s*$`;
export const BYTE_RATE_PATTERN = `^\\s*${NUMBER}\\s*(B|KB|KiB|MB|MiB|GB|GiB)\\s*/\\s*(s|m|h)\\s*$`;

const sizeRe = new RegExp(SIZE_PATTERN);
const durationRe = new RegExp(DURATION_PATTERN);
const recordRateRe = new RegExp(RECORD_RATE_PATTERN);
const byteRateRe = new RegExp(BYTE_RATE_PATTERN);

export class UnitError extends Error {}

function num(text: string): number {
  return Number(text.replaceAll("_", ""));
}

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} or ${items.at(-1)!}`;
}

const SIZE_UNIT_NAMES = Object.keys(SIZE_UNITS);
const DURATION_UNIT_NAMES = Object.keys(DURATION_UNITS).filter((u) => u !== "µs");
const PER_UNIT_NAMES = Object.keys(PER_UNITS).map((u) => `/${u}`);

/**
 * A bare number where a value with a unit is expected: 0 is 0 in any unit; any other number is refused, naming
 * the units allowed and two examples with the number written ("a record rate needs a unit: /s, /m or /h, such
 * as "2000/s" or "2000/m"").
 */
function bare(input: number, kind: string, units: string, examples: readonly string[]): 0 {
  if (input === 0) return 0;
  const shown = Number.isFinite(input) && input > 0 ? String(input) : "5";
  throw new UnitError(`a ${kind} needs a unit: ${units}, such as ${orList(examples.map((u) => `"${shown}${u}"`))}; got the bare number ${input}`);
}

/** "64MiB" → 67108864 bytes, rounded to whole bytes ("1.5B" → 2). A bare number other than 0 is refused. */
export function parseSize(input: string | number): number {
  if (typeof input === "number") return bare(input, "size", orList(SIZE_UNIT_NAMES), ["B", "KiB"]);
  const m = sizeRe.exec(input);
  if (!m) throw new UnitError(`expected a size such as 512B, 25KB, 1KiB, 5MiB or 1GiB, got "${input}"`);
  return Math.round(num(m[1]!) * SIZE_UNITS[m[2]!]!);
}

/** "1.5s" → 1500000 µs. A bare number other than 0 is refused. */
export function parseDuration(input: string | number): Micros {
  if (typeof input === "number") return bare(input, "duration", orList(DURATION_UNIT_NAMES), ["s", "ms"]);
  const m = durationRe.exec(input);
  if (!m) throw new UnitError(`expected a duration such as 250ms, 30s, 5m, 2h or 1d, got "${input}"`);
  const us = num(m[1]!) * DURATION_UNITS[m[2]!]!;
  const rounded = Math.round(us);
  if (Math.abs(us - rounded) > 1e-6 * Math.max(1, us)) {
    throw new UnitError(`"${input}" is not a whole number of microseconds`);
  }
  return rounded;
}

/** "2000/s" or "120000/m" → records per second. A bare number other than 0 is refused. */
export function parseRecordRate(input: string | number): number {
  if (typeof input === "number") return bare(input, "record rate", orList(PER_UNIT_NAMES), ["/s", "/m"]);
  const m = recordRateRe.exec(input);
  if (!m) throw new UnitError(`expected a record rate such as 2000/s, 90000/m or 5000000/h, got "${input}"`);
  return num(m[1]!) / PER_UNITS[m[2]!]!;
}

/** "3MiB/s" → bytes per second. A bare number other than 0 is refused. */
export function parseByteRate(input: string | number): number {
  if (typeof input === "number") return bare(input, "byte rate", `a size unit (${orList(SIZE_UNIT_NAMES)}) per ${orList(PER_UNIT_NAMES)}`, ["KiB/s", "MiB/s"]);
  const m = byteRateRe.exec(input);
  if (!m) throw new UnitError(`expected a byte rate such as 512KiB/s or 3MiB/s, got "${input}"`);
  return (num(m[1]!) * SIZE_UNITS[m[2]!]!) / PER_UNITS[m[3]!]!;
}

/** Human-readable size for messages and reports: 1048576 → "1 MiB". */
export function formatSize(bytes: number): string {
  const units: [string, number][] = [
    ["GiB", 1_073_741_824],
    ["MiB", 1_048_576],
    ["KiB", 1_024],
  ];
  for (const [unit, scale] of units) {
    if (bytes >= scale) {
      const v = bytes / scale;
      return `${Number.isInteger(v) ? v : v.toFixed(2)} ${unit}`;
    }
  }
  return `${bytes} B`;
}

/** Human-readable duration: 1500000 µs → "1.5 s". */
export function formatDuration(us: Micros): string {
  const s = us / MICROS_PER_SECOND;
  if (s >= 86_400 && s % 3_600 === 0) return `${s / 3_600} h`;
  if (s >= 3_600 && s % 60 === 0) return s % 3_600 === 0 ? `${s / 3_600} h` : `${s / 60} min`;
  if (s >= 60 && Number.isInteger(s) && s % 60 === 0) return `${s / 60} min`;
  if (s >= 1) return `${+s.toFixed(3)} s`;
  if (us >= 1_000) return `${+(us / 1_000).toFixed(3)} ms`;
  return `${us} µs`;
}
