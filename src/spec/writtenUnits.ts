// How a scenario file wrote its values, where the parsed Scenario cannot tell: sizes and byte rates in decimal
// units (KB, MB, GB). shardcast reads them as powers of 1,000, as the units module says, but AWS writes "MB" for
// MiB in its Kinesis limits ("1 MB/s" per shard is 1,048,576 B/s), so "5MB/s" is most likely meant as 5 MiB/s.
// The loader (src/scenario) finds them by laying the file's data over the parsed scenario, and keeps them on the
// Scenario under a symbol: not a field of the scenario language nor of report.json's scenario echo, yet carried
// wherever the Scenario goes (object spread copies it), so that warnings.ts reaches `validate`, `run` and the
// report alike.

import { SIZE_UNITS } from "./units.js";

/** A size or byte rate written with a decimal unit. */
export interface DecimalUnit {
  /** The field: ["stream", "maxRecordSize"]. */
  path: (string | number)[];
  /** As written: "5MB/s". */
  text: string;
  /** The number and unit written: 5, "MB"; `per` for a byte rate ("s", "m" or "h"). */
  amount: number;
  unit: "KB" | "MB" | "GB";
  per?: string;
}

const DECIMAL = /^\s*(\d[\d_]*(?:\.\d+)?|\.\d+)\s*(KB|MB|GB)\s*(?:\/\s*(s|m|h)\s*)?$/;

/**
 * Fields whose AWS quantity is itself decimal, so that writing it in MB is right: the Firehose Lambda buffer,
 * BufferSizeInMBs 0.2–3 MB, which shardcast reads as 200,000–3,000,000 B (src/aws/limits.ts); and a raised on-demand
 * maximum write throughput, whose quotas ("200 MB/s", "up to 10 GB/s": Kinesis quotas and limits) shardcast reads as
 * 200,000,000 and 10,000,000,000 B/s (ON_DEMAND_MAX_WRITE_BYTES_PER_SECOND and its neighbour).
 */
const DECIMAL_FIELDS: readonly (readonly (string | null)[])[] = [
  ["firehose", null, "transform", "buffer", "size"],
  ["stream", "onDemand", "maxWriteThroughput"],
  ["streams", null, "onDemand", "maxWriteThroughput"],
];

const isDecimalField = (path: readonly (string | number)[]) =>
  DECIMAL_FIELDS.some((f) => f.length === path.length && f.every((k, i) => k === null || k === path[i]));

const isMapping = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * The sizes and byte rates of a scenario file's data written in KB, MB or GB, in the order of the data: wherever
 * the data has such a string and the parsed scenario a number at the same path (a unit field; a name or a key
 * that happens to read "5MB" stays a string).
 */
export function findDecimalUnits(data: unknown, parsed: unknown, path: (string | number)[] = []): DecimalUnit[] {
  if (typeof data === "string" && typeof parsed === "number") {
    const m = DECIMAL.exec(data);
    if (!m || isDecimalField(path)) return [];
    return [{ path, text: data.trim(), amount: Number(m[1]!.replaceAll("_", "")), unit: m[2] as DecimalUnit["unit"], ...(m[3] ? { per: m[3] } : {}) }];
  }
  if (Array.isArray(data) && Array.isArray(parsed)) return data.flatMap((d, i) => findDecimalUnits(d, parsed[i], [...path, i]));
  if (isMapping(data) && isMapping(parsed)) return Object.keys(data).flatMap((k) => (Object.hasOwn(parsed, k) ? findDecimalUnits(data[k], parsed[k], [...path, k]) : []));
  return [];
}

const DECIMAL_UNITS = Symbol("shardcast.decimalUnits");

/** The scenario, noting the decimal units its file wrote (none: nothing is noted). */
export function withDecimalUnits<T extends object>(scenario: T, uses: readonly DecimalUnit[]): T {
  if (uses.length > 0) Object.assign(scenario, { [DECIMAL_UNITS]: uses });
  return scenario;
}

/** The decimal units the scenario's file wrote, as the loader noted them. */
export function decimalUnitsOf(scenario: object): readonly DecimalUnit[] {
  return (scenario as { [DECIMAL_UNITS]?: readonly DecimalUnit[] })[DECIMAL_UNITS] ?? [];
}

/** The binary unit a decimal one is most likely meant as: MB → MiB. */
export function binaryOf(unit: DecimalUnit["unit"]): "KiB" | "MiB" | "GiB" {
  return unit === "KB" ? "KiB" : unit === "MB" ? "MiB" : "GiB";
}

/** Bytes of `amount` `unit`. */
export function bytesOf(amount: number, unit: string): number {
  return Math.round(amount * SIZE_UNITS[unit]!);
}
