// npm run golden: rewrites the committed sample reports under reports/<name>/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLES, SWEEP_SAMPLES, renderSample, renderSweepSample } from "./samples.js";

const root = process.cwd();
for (const name of SAMPLES) {
  const dir = join(root, "reports", name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(renderSample(root, name))) writeFileSync(join(dir, file), content);
  console.log(`regenerated reports/${name}/`);
}
for (const sample of SWEEP_SAMPLES) {
  const dir = join(root, "reports", sample.name, "sweep");
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(renderSweepSample(root, sample))) writeFileSync(join(dir, file), content);
  console.log(`regenerated reports/${sample.name}/sweep/`);
}
