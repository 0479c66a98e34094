// docs/scenario-reference.md is generated from the schema (through src/spec/reference.ts): `npm run docs`
// writes it (update-docs.ts) and reference.test.ts fails when the committed file differs from what the
// current schema gives.
import { scenarioReferenceMarkdown } from "../../src/spec/reference.js";

export const REFERENCE_FILE = "docs/scenario-reference.md";

const HEADER = `# Scenario reference

Every field of a scenario file, generated from the zod schema in \`src/spec/\`: do not edit by hand.
\`npm run docs\` regenerates this file and \`test/docs/reference.test.ts\` fails when it is stale.

Sizes, durations and rates are strings with units (\`64MiB\`, \`5m\`, \`2000/s\`); omitted fields take the
defaults below. Where a default is the real service's, [limits.md](limits.md) gives its source; how the
simulator uses each part is in [model.md](model.md). \`shardcast schema\` prints the same schema as JSON Schema.
`;

/** The whole file, as `npm run docs` writes it. */
export function scenarioReferenceDocument(): string {
  return `${HEADER}\n${scenarioReferenceMarkdown()}\n`;
}
