// npm run docs: regenerates docs/scenario-reference.md from the scenario schema.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { REFERENCE_FILE, scenarioReferenceDocument } from "./reference.js";

mkdirSync(dirname(REFERENCE_FILE), { recursive: true });
writeFileSync(REFERENCE_FILE, scenarioReferenceDocument());
console.log(`${REFERENCE_FILE}: regenerated from the schema`);
