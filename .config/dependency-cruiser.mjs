/* global URL */
// The layering of docs/model.md ("How the code is organised"), enforced: every file under src/ belongs to one part of
// .config/architecture.json; a part may import itself, the parts its arrows name, npm packages and Node's
// built-ins, nothing else. The "never" arrows are listed again as forbidden rules so that breaking one says why.
// `npm test` runs it: `depcruise src --config .config/dependency-cruiser.mjs`.
import { readFileSync } from "node:fs";

const architecture = JSON.parse(readFileSync(new URL("./architecture.json", import.meta.url), "utf8"));

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A path pattern for a part: its folders (src/x/) or files (src/run.ts). */
const pathOf = (part) => `^(${architecture.parts[part].is.map((p) => escape(p) + (p.endsWith("/") ? "" : "$")).join("|")})`;
const parts = Object.keys(architecture.parts);

export default {
  forbidden: [
    ...architecture.never.map(([from, to, why]) => ({
      name: `never-${from.toLowerCase()}-to-${to.toLowerCase()}`,
      comment: `${from} must never import ${to}: ${why}.`,
      severity: "error",
      from: { path: pathOf(from) },
      to: { path: pathOf(to) },
    })),
    {
      name: "in-a-part",
      comment: "Every source file belongs to a part of .config/architecture.json.",
      severity: "error",
      from: { path: "^src/", pathNot: parts.map(pathOf) },
      to: {},
    },
    {
      name: "no-circular",
      comment: "No import cycles between files.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  allowed: [
    { comment: "npm packages and Node's built-ins", from: {}, to: { dependencyTypesNot: ["local"] } },
    ...parts.map((p) => ({ comment: `${p} imports itself`, from: { path: pathOf(p) }, to: { path: pathOf(p) } })),
    ...architecture.arrows.map(([from, to]) => ({ comment: `${from} → ${to}`, from: { path: pathOf(from) }, to: { path: pathOf(to) } })),
  ],
  allowedSeverity: "error",
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".d.ts"] },
  },
};
