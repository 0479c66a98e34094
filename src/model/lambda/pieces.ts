// What an event source mapping holds of a shard's records: pieces of what its reader fetched (a contiguous range of
// sequence numbers with the log slices they came from), split where the mapping splits them — among the shard's
// concurrent batches, at a batch's size or payload limit, at a tumbling window's end, in two by bisection — oldest
// records first, counts, bytes and birth times in proportion, as the shard log splits its entries.

import type { Micros } from "../../engine/time.js";
import type { Slice } from "../kinesis/shardLog.js";
import type { Fetched } from "../kcl/state.js";

/** Fetched records in an event source mapping, with the positions (0-based, in the piece) of records the function cannot process. */
export interface Piece extends Omit<Fetched, "slices"> {
  slices: Slice[];
  poison: number[];
}

/** Splits off the oldest `k` user records of a slice (0 < k < users). */
export function splitSlice(sl: Slice, k: number): [Slice, Slice] {
  const bytes = Math.round((sl.bytes * k) / sl.users);
  const keyBytes = Math.round((sl.keyBytes * k) / sl.users);
  const cut = sl.firstBorn + Math.round(((sl.lastBorn - sl.firstBorn) * k) / sl.users);
  return [
    { users: k, bytes, keyBytes, firstBorn: sl.firstBorn, lastBorn: cut, arrival: sl.arrival },
    { users: sl.users - k, bytes: sl.bytes - bytes, keyBytes: sl.keyBytes - keyBytes, firstBorn: cut, lastBorn: sl.lastBorn, arrival: sl.arrival },
  ];
}

function pieceOf(from: number, slices: Slice[], kinesis: number, poison: number[], at: Micros): Piece {
  let records = 0;
  let dataBytes = 0;
  for (const sl of slices) {
    records += sl.users;
    dataBytes += sl.bytes - sl.keyBytes;
  }
  return { from, to: from + records, records, kinesis, dataBytes, slices, at, poison };
}

/** Splits off the oldest `k` user records of a piece (0 < k < records). */
export function splitPiece(p: Piece, k: number): [Piece, Piece] {
  const head: Slice[] = [];
  const tail: Slice[] = [];
  let left = k;
  for (const sl of p.slices) {
    if (left >= sl.users) {
      head.push(sl);
      left -= sl.users;
    } else if (left > 0) {
      const [a, b] = splitSlice(sl, left);
      head.push(a);
      tail.push(b);
      left = 0;
    } else tail.push(sl);
  }
  const kinesis = (p.kinesis * k) / p.records;
  return [
    pieceOf(p.from, head, kinesis, p.poison.filter((i) => i < k), p.at),
    pieceOf(p.from + k, tail, p.kinesis - kinesis, p.poison.filter((i) => i >= k).map((i) => i - k), p.at),
  ];
}

/** A piece of fetched records (the reader's delivery) with its poison records. */
export function pieceFrom(f: Fetched, poison: number[]): Piece {
  return { ...f, slices: f.slices.toArray(), poison };
}

/** Splits a piece into `parts` near-equal contiguous pieces (by records; empty parts omitted), oldest first. */
export function splitPieceEvenly(p: Piece, parts: number): Piece[] {
  const out: Piece[] = [];
  let rest = p;
  for (let j = parts; j > 1 && rest.records > 0; j--) {
    const k = Math.floor(rest.records / j);
    if (k === 0 || k >= rest.records) continue;
    const [head, tail] = splitPiece(rest, k);
    out.push(head);
    rest = tail;
  }
  if (rest.records > 0) out.push(rest);
  return out;
}

/** Splits a piece into contiguous pieces of `sizes` records (summing to its records; a size 0 gives no piece), oldest first. */
export function splitPieceInto(p: Piece, sizes: readonly number[]): (Piece | null)[] {
  const out: (Piece | null)[] = [];
  let rest: Piece | null = p;
  for (const k of sizes) {
    if (k <= 0 || !rest) {
      out.push(null);
      continue;
    }
    if (k >= rest.records) {
      out.push(rest);
      rest = null;
      continue;
    }
    const [head, tail] = splitPiece(rest, k);
    out.push(head);
    rest = tail;
  }
  return out;
}

/** User records of a piece that arrived before `cutoff` (the slices are in arrival order). */
export function arrivedBefore(p: Piece, cutoff: Micros): number {
  let n = 0;
  for (const sl of p.slices) {
    if (sl.arrival >= cutoff) break;
    n += sl.users;
  }
  return n;
}

/** The invocation payload of a piece: its data in base64, 4 bytes for every 3. */
export function payloadOf(p: Piece): number {
  return Math.ceil((p.dataBytes * 4) / 3);
}
