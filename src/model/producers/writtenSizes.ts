// What an application's output records bill (a KCL application's or a stream processor's `output:`). Kinesis bills
// each record on its own (https://aws.amazon.com/kinesis/data-streams/pricing/): PUT payload units in 25 KB units
// of the record, and an on-demand stream's data in with the record rounded up to 1 KiB ("4.5 KB records count as
// 5 KB"). Records of spread sizes bill more than their mean size rounded: 700 B records of a lognormal with a p99 of
// 4 KiB bill E[⌈size ÷ 1 KiB⌉] = 1.43 KiB each, their mean (970 B) rounds to 1 KiB. A batch only knows its records'
// count and bytes, so an output record's bill comes from where its records come from: the producers whose records
// the input stream carries (through other applications, sizeFactor and recordsPerRecord applied), each producer's
// record sizes at the records' birth (a trace's sizes are fixed per period), times the output's sizeFactor, mixed in
// proportion to the producers' rates then. Each producer's expectation is worked out once per size model and cached:
// a write costs a look-up per producer, not a loop over its records. Firehose bills its ingestion the same way (each
// record rounded up to 5 KB): a delivery stream's records come from the producers putting to it, or from those whose
// records its source stream carries (OriginBilling, used by deliveryStream.ts).

import type { Micros } from "../../engine/time.js";
import { inPipelineOrder, type OutputSpec } from "../../spec/index.js";
import type { RateModel } from "../../workload/rate.js";
import type { SizeModel } from "../../workload/recordSize.js";
import { recordBilling, scaledSizes, type RecordBilling, type SizeSource } from "./producer.js";

/**
 * Records a stream carries that come from one producer: its own, or those applications made of them. Their sizes are
 * `scale` times the producer's; `perRecord` of them for each record the producer writes (recordsPerRecord, multiplied
 * along the way).
 */
export interface SizeOrigin {
  rate: Pick<RateModel, "rateAt" | "meanRate">;
  sizes: Pick<SizeSource, "at">;
  scale: number;
  perRecord: number;
}

/**
 * Each stream's origins, by name: the producers writing to it (scale 1), and those of the streams the applications
 * writing to it read, scaled by their outputs, taken in pipeline order (inPipelineOrder).
 */
export function sizeOrigins(
  producers: readonly { stream: string; rate: SizeOrigin["rate"]; sizes: SizeOrigin["sizes"] }[],
  outputs: readonly { from: string; output: Pick<OutputSpec, "stream" | "sizeFactor" | "recordsPerRecord"> }[],
): Map<string, SizeOrigin[]> {
  const origins = new Map<string, SizeOrigin[]>();
  const add = (stream: string, o: SizeOrigin) => {
    const list = origins.get(stream);
    if (list) list.push(o);
    else origins.set(stream, [o]);
  };
  for (const p of producers) add(p.stream, { rate: p.rate, sizes: p.sizes, scale: 1, perRecord: 1 });
  for (const { from, output } of inPipelineOrder(outputs)) {
    for (const o of origins.get(from) ?? []) add(output.stream, { rate: o.rate, sizes: o.sizes, scale: o.scale * output.sizeFactor, perRecord: o.perRecord * output.recordsPerRecord });
  }
  return origins;
}

/**
 * What a record bills on average, mixed over the origins of the records: each origin's bill (`bill` of its sizes,
 * `factor` times as large), worked out once per size model and cached, weighted by the origins' rates at the records'
 * birth. An application's output records bill PUT payload units and on-demand bytes (WrittenBilling); a Firehose
 * delivery stream's incoming records their ingestion bytes (deliveryStream.ts).
 */
export class OriginBilling<B extends { [K in keyof B]: number }> {
  /** Per origin: the bill of a record of each of its size models (one, unless its sizes come from a trace). */
  private readonly cache: Map<SizeModel, B>[];
  /** The mix at the last call, and its fields (made at the first call that mixes). */
  private mixed: B | undefined;
  private keys: (keyof B)[] = [];

  constructor(
    private readonly origins: readonly SizeOrigin[],
    /** How many times as large the records billed are as their origins' (an output's sizeFactor; 1 for the records themselves). */
    private readonly factor: number,
    /** What a record of these sizes bills on average. */
    private readonly bill: (sizes: Pick<SizeSource, "pOver">) => B,
    private readonly duration: Micros,
  ) {
    this.cache = origins.map(() => new Map());
  }

  /** Per origin, the size model of the last call and its bill: a delivery stream asks for every slice it reads, and an origin's sizes change only with a trace's periods. */
  private readonly lastModel: (SizeModel | undefined)[] = [];
  private readonly lastBill: B[] = [];

  /** A record of origin i born at t. */
  private of(i: number, t: Micros): B {
    const o = this.origins[i]!;
    const m = o.sizes.at(t);
    if (m === this.lastModel[i]) return this.lastBill[i]!;
    const cache = this.cache[i]!;
    let b = cache.get(m);
    if (!b) cache.set(m, (b = this.bill(scaledSizes(m, o.scale * this.factor))));
    this.lastModel[i] = m;
    this.lastBill[i] = b;
    return b;
  }

  /**
   * A record of records born about t, on average (its origins mixed by their rates at t, or over the run when none
   * writes at t). Null without origins: nothing writes the records. The object returned may be reused by the next call.
   */
  at(t: Micros): Readonly<B> | null {
    const n = this.origins.length;
    if (n === 0) return null;
    if (n === 1) return this.of(0, t);
    let w = 0;
    for (const o of this.origins) w += o.rate.rateAt(t) * o.perRecord;
    const atT = w > 0;
    if (!atT) for (const o of this.origins) w += o.rate.meanRate(this.duration) * o.perRecord;
    if (!this.mixed) {
      this.mixed = { ...this.of(0, t) };
      this.keys = Object.keys(this.mixed) as (keyof B)[];
    }
    const { mixed, keys } = this;
    for (const k of keys) mixed[k] = 0 as B[keyof B];
    for (let i = 0; i < n; i++) {
      const o = this.origins[i]!;
      const share = w > 0 ? ((atT ? o.rate.rateAt(t) : o.rate.meanRate(this.duration)) * o.perRecord) / w : 1 / n;
      if (share === 0) continue;
      const b = this.of(i, t);
      for (const k of keys) mixed[k] = (mixed[k] + share * b[k]) as B[keyof B];
    }
    return mixed;
  }
}

/** What an application's output records bill on average, from the origins of the records it read. */
export class WrittenBilling extends OriginBilling<RecordBilling> {
  constructor(
    origins: readonly SizeOrigin[],
    /** The output's sizeFactor. */
    factor: number,
    /** The output stream's largest record (incrementsPerRecord counts up to it, as a producer's do). */
    maxRecordSize: number,
    duration: Micros,
  ) {
    super(origins, factor, (sizes) => recordBilling(sizes, maxRecordSize), duration);
  }
}
