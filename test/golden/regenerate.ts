// npm run golden: rewrites the committed sample reports under reports/<name>/.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLES, SWEEP_SAMPLES, renderSample, renderSampleCharts, renderSweepSample } from "./samples.js";

const root = process.cwd();
for (const name of SAMPLES) {
  const dir = join(root, "reports", name);
  mkdirSync(dir, { recursive: true });
  const files = renderSample(root, name);
  const charts = await renderSampleCharts(files["report.json"]!);
  mkdirSync(join(dir, "charts"), { recursive: true });
  // Charts a change no longer draws go away with it.
  for (const file of readdirSync(join(dir, "charts"))) if (/\.(vl\.json|svg)$/.test(file) && !(`charts/${file}` in charts)) rmSync(join(dir, "charts", file));
  for (const [file, content] of Object.entries({ ...files, ...charts })) writeFileSync(join(dir, file), content);
  console.log(`regenerated reports/${name}/`);
}
for (const sample of SWEEP_SAMPLES) {
  const dir = join(root, "reports", sample.name, "sweep");
  mkdirSync(join(dir, "charts"), { recursive: true });
  const files = await renderSweepSample(root, sample);
  for (const file of readdirSync(join(dir, "charts"))) if (/\.(vl\.json|svg)$/.test(file) && !(`charts/${file}` in files)) rmSync(join(dir, "charts", file));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  console.log(`regenerated reports/${sample.name}/sweep/`);
}
