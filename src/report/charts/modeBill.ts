// modes: the monthly bill of each capacity mode against the stream's mean write throughput (its records keeping
// their size), steady traffic, with the scenario's throughput and the break-evens marked. Written by
// `shardcast estimate --chart` (the closed form of src/result/modeBill.ts; no run needed).

import { MiB } from "../../aws/limits.js";
import type { PriceItem } from "../../aws/prices.js";
import { billCurve, type ModeBills, type StreamTraffic } from "../../result/modeBill.js";
import { formulaThroughputWithinShardLimit, MAX_SHARDS_PER_STREAM, needsShardLimitIncrease } from "../../result/shardLimit.js";
import { formatRate, formatUsd, sig, thousands } from "../format.js";
import { lineChart, type Chart, type ReferenceRule, type Row } from "./kit.js";

const PROVISIONED = "provisioned (AWS formula shards)";
const STANDARD = "On-demand Standard";
const ADVANTAGE = "On-demand Advantage";

/** Points along the throughput axis (the provisioned line steps at each shard). */
const POINTS = 400;

/**
 * The chart of one stream's bills; `name` the stream's, `tableText` the price table in words; `onDemandMax`, on-demand's
 * maximum write throughput in the scenario's Region (Kinesis quotas and limits), which the subtitle names where the axis
 * passes it, as it names the throughput past which the formula's shards are more than 10,000 (a provisioned stream of
 * them needs a limit increase: UpdateShardCount API reference).
 */
export function modeBillChart(
  name: string,
  t: StreamTraffic,
  bills: ModeBills,
  prices: Readonly<Record<PriceItem, number>>,
  tableText: string,
  onDemandMax?: { bytesPerSecond: number; region: string },
): Chart {
  const x = t.bytesPerSecond;
  const be = bills.breakEvens;
  const crossings = [be.onDemandVsFormula, be.advantageVsFormula, be.onDemandVsShards, be.advantageVsShards].flatMap((c) => c?.crossings ?? []).map((c) => c.bytesPerSecond);
  // Twice the scenario's throughput, and past the break-evens that fall within 64 MiB/s; at least 1 MiB/s.
  const upTo = Math.max(MiB, 2 * x, ...crossings.filter((c) => c <= 64 * MiB).map((c) => 1.25 * c));
  const rows: Row[] = [];
  for (const p of billCurve(t, upTo, POINTS, prices)) {
    const mibps = sig(p.bytesPerSecond / MiB, 6);
    rows.push({ x: mibps, mode: PROVISIONED, usd: sig(p.provisioned, 6) });
    rows.push({ x: mibps, mode: STANDARD, usd: sig(p.onDemand, 6) });
    rows.push({ x: mibps, mode: ADVANTAGE, usd: sig(p.advantage, 6) });
  }
  const rules: ReferenceRule[] = [{ axis: "x", value: sig(x / MiB, 6), label: `${name}: ${formatRate(x, "bytes")}`, color: "#333" }];
  // Where the lines stand for streams that need more than the defaults: said in the subtitle (labels at the top of the
  // plot would overlap the scenario's).
  const within = formulaThroughputWithinShardLimit(t, upTo);
  const limits = [
    ...(within < upTo ? [`Past ${formatRate(within, "bytes")} the formula's shards are more than ${thousands(MAX_SHARDS_PER_STREAM)}: a provisioned stream of them needs a limit increase.`] : []),
    ...(onDemandMax && onDemandMax.bytesPerSecond < upTo
      ? [`On-demand scales to at most ${onDemandMax.bytesPerSecond >= 1e9 ? `${+(onDemandMax.bytesPerSecond / 1e9).toPrecision(3)} GB/s` : `${+(onDemandMax.bytesPerSecond / 1e6).toPrecision(3)} MB/s`} of writes in ${onDemandMax.region} (${formatRate(onDemandMax.bytesPerSecond, "bytes")}).`]
      : []),
  ];
  const cheapest = [
    { mode: "provisioned", usd: bills.provisionedAtFormula.total },
    { mode: STANDARD, usd: bills.onDemand.total },
    { mode: ADVANTAGE, usd: bills.advantage.total },
  ].sort((a, b) => a.usd - b.usd)[0]!;
  const subtitle = [
    `At ${formatRate(x, "bytes")}: provisioned ${formatUsd(bills.provisionedAtFormula.total)} (${thousands(bills.formulaShards)} shard${bills.formulaShards === 1 ? "" : "s"}${needsShardLimitIncrease(bills.formulaShards) ? ", needs a limit increase" : ""}), On-demand Standard ${formatUsd(bills.onDemand.total)}, On-demand Advantage ${formatUsd(bills.advantage.total)} a month; cheapest: ${cheapest.mode}.`,
    `Steady traffic at the mean, records of the scenario's sizes; ${tableText}. Advantage includes the account's ${prices.advantageCommitmentMiBps} MiB/s commitment. Log scale.`,
    ...(limits.length > 0 ? [limits.join(" ")] : []),
  ];
  const spec = lineChart({
    title: `Monthly bill by capacity mode: ${name}`,
    subtitle,
    data: rows,
    interpolate: "step-after",
    x: { field: "x", title: "mean write throughput (MiB/s of data)", format: ",~r", domain: [0, sig(upTo / MiB, 6)], nice: false, zero: true },
    y: { field: "usd", title: "USD per month", scale: "log", format: "$,~r" },
    series: { field: "mode", title: "capacity mode", domain: [PROVISIONED, STANDARD, ADVANTAGE] },
    rules,
  });
  return { name: `modes-${name}`, title: `Monthly bill by capacity mode: ${name}`, spec };
}
