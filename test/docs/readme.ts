// The README's scenario reference is generated from the schema; these helpers put it between its markers.
import { scenarioReferenceMarkdown } from "../../src/spec/reference.js";

export const START = "<!-- scenario-reference:start -->";
export const END = "<!-- scenario-reference:end -->";

export function withReference(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error("README.md lacks the scenario-reference markers");
  return `${readme.slice(0, a + START.length)}\n${scenarioReferenceMarkdown()}\n${readme.slice(b)}`;
}
