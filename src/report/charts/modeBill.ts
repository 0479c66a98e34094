// modes: the monthly bill of each capacity mode against the stream's mean write throughput (its records keeping
// their size), steady traffic, with the scenario's throughput and the break-evens marked. Written by
// `shardcast estimate --chart` (the closed form of src/result/modeBill.ts; no run needed).

import { MiB } from "../../aws/limits.js";
import type { PriceItem } from "../../aws/prices.js";
import { billCurve, type ModeBills, type StreamTraffic } from "../../result/modeBill.js";
import { formatRate, formatUsd, sig } from "../format.js";
import { lineChart, type Chart, type ReferenceRule, type Row } from "./kit.js";

const PROVISIONED = "provisioned (AWS formula shards)";
const STANDARD = "On-demand Standard";
const ADVANTAGE = "On-demand Advantage";

/** Points along the throughput axis (the provisioned line steps at each shard). */
const POINTS = 400;

/** The chart of one stream's bills; `name` the stream's, `tableText` the price table in words. */
export function modeBillChart(name: string, t: StreamTraffic, bills: ModeBills, prices: Readonly<Record<PriceItem, number>>, tableText: string): Chart {
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
  const cheapest = [
    { mode: "provisioned", usd: bills.provisionedAtFormula.total },
    { mode: STANDARD, usd: bills.onDemand.total },
    { mode: ADVANTAGE, usd: bills.advantage.total },
  ].sort((a, b) => a.usd - b.usd)[0]!;
  const subtitle = [
    `At ${formatRate(x, "bytes")}: provisioned ${formatUsd(bills.provisionedAtFormula.total)} (${bills.formulaShards} shard${bills.formulaShards === 1 ? "" : "s"}), On-demand Standard ${formatUsd(bills.onDemand.total)}, On-demand Advantage ${formatUsd(bills.advantage.total)} a month; cheapest: ${cheapest.mode}.`,
    `Steady traffic at the mean, records of the scenario's sizes; ${tableText}. Advantage includes the account's ${prices.advantageCommitmentMiBps} MiB/s commitment. Log scale.`,
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
