// npm run docs: regenerates the scenario reference in README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { withReference } from "./readme.js";

writeFileSync("README.md", withReference(readFileSync("README.md", "utf8")));
console.log("README.md: scenario reference regenerated");
