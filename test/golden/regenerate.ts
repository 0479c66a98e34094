// npm run golden: rewrites the committed sample reports under reports/<name>/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLES, renderSample } from "./samples.js";

const root = process.cwd();
for (const name of SAMPLES) {
  const dir = join(root, "reports", name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(renderSample(root, name))) writeFileSync(join(dir, file), content);
  console.log(`regenerated reports/${name}/`);
}
