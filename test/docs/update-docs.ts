// npm run docs: regenerates docs/scenario-reference.md from the scenario schema and src/report/reportSchema.json
// (the JSON Schema of report.json) from src/report/reportTypes.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { REFERENCE_FILE, scenarioReferenceDocument } from "./reference.js";
import { REPORT_SCHEMA_FILE, reportSchemaText } from "./reportSchema.js";

mkdirSync(dirname(REFERENCE_FILE), { recursive: true });
writeFileSync(REFERENCE_FILE, scenarioReferenceDocument());
console.log(`${REFERENCE_FILE}: regenerated from the schema`);
writeFileSync(REPORT_SCHEMA_FILE, reportSchemaText());
console.log(`${REPORT_SCHEMA_FILE}: regenerated from src/report/reportTypes.ts`);
