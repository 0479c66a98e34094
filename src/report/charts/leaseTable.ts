// lease-table: each KCL application's lease table writes against its DynamoDB write capacity.

import { clock, sig, thousands } from "../format.js";
import type { ReportJson } from "../reportTypes.js";
import { binNote, binSeries, lineLayer, stepsPerBin, timeAxis, timeScaleFor, topLevel, timeShades, type Chart, type Row } from "./kit.js";

export function leaseTableChart(report: ReportJson): Chart | null {
  // KCL applications only: a Lambda consumer's mapping keeps no lease table of its own.
  const apps = report.consumers.flatMap((c) => (c.leaseTable && c.series.leaseTableWriteUnitsPerSecond && c.series.leaseTableThrottledWrites ? [{ c, table: c.leaseTable, wus: c.series.leaseTableWriteUnitsPerSecond, thrs: c.series.leaseTableThrottledWrites }] : []));
  if (apps.length === 0) return null;
  const s = report.series;
  const time = timeScaleFor(report.run.durationSeconds);
  const per = stepsPerBin(s.startSeconds.length, 120);
  const used = "write units consumed per second";
  const throttled = "writes throttled per second";
  const panels = apps.map(({ c, table, wus, thrs }) => {
    const rows: Row[] = [];
    const wu = binSeries(wus, per, "mean");
    const thr = binSeries(thrs, per, "mean");
    wu.forEach((v, b) => {
      const t = time.at(s.startSeconds[b * per]!);
      rows.push({ t, what: used, rate: sig(v, 6) }, { t, what: throttled, rate: sig(thr[b]! / s.resolutionSeconds, 6) });
    });
    const p = table.provisioned;
    const o = table.onDemand;
    const a = table.afterWarmup;
    const start = o ? o.capacityAtStart.writeUnitsPerSecond : 0;
    const highest = o ? o.highestCapacity.writeUnitsPerSecond : 0;
    const rules = p
      ? [{ axis: "y" as const, value: p.write, label: `provisioned ${p.write} WCU` }]
      : o
        ? [
            { axis: "y" as const, value: start, label: `on-demand at the start: ${thousands(start)} WRU/s` },
            ...(o.raisedAtSeconds !== null && highest > start ? [{ axis: "y" as const, value: highest, label: `from ${clock(o.raisedAtSeconds * 1e6)}: ${thousands(highest)} WRU/s` }] : []),
          ]
        : [];
    const capacity = p ? `provisioned ${p.write} WCU` : o ? `on-demand, ${thousands(start)} WRU/s at the start` : "on-demand";
    return lineLayer({
      data: rows,
      panelTitle: `${c.name} (${capacity}): ${+a.writeUnitsPerSecond.toFixed(2)} WCU/s used, ${thousands(a.throttledWrites)} writes throttled`,
      height: apps.length > 2 ? 120 : 170,
      interpolate: "step-after",
      x: timeAxis(time, report.run.durationSeconds),
      y: { field: "rate", title: "per second", format: ",~r" },
      series: { field: "what", title: null, domain: [used, throttled] },
      shade: timeShades(report, time),
      rules,
    });
  });
  const spec = topLevel(
    { vconcat: panels },
    {
      text: "KCL lease tables: DynamoDB write capacity",
      subtitle: [
        `Lease renewals, checkpoints and lease taking write to each application's lease table, 1 WCU a write${binNote(report, per, "means")}.`,
        "A provisioned table throttles writes at its WCU once its burst is spent.",
        // Only where an on-demand table's capacity mattered (the report then shows it), so other charts keep their text.
        ...(apps.some(({ table }) => table.onDemand)
          ? ["An on-demand table throttles above twice its previous peak (a new table: 4,000 WRU/s, reads sharing it), which rises 30 minutes after a higher second."]
          : []),
      ],
    },
  );
  return { name: "lease-table", title: "KCL lease tables", spec };
}
