// The scenario layer's public surface: the scenario language (src/spec: schema, types, units, JSON Schema)
// and the loader that turns scenario files into a Scenario with file:line:column problems.

export * from "../spec/index.js";
export * from "../spec/units.js";
export { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from "../spec/jsonSchema.js";
export {
  checkScenario,
  formatPath,
  formatProblem,
  formatWarning,
  jsonSyntaxError,
  parseScenario,
  scenarioData,
  scenarioWarningsIn,
  validateScenarioData,
  ScenarioError,
  type CheckResult,
  type Problem,
  type Warning,
} from "./load.js";
export { resolveTraces } from "./traces.js";
export { decodeUtf8, hasLoneSurrogate, InputFileError, loneSurrogateIn, type EncodingProblem } from "./encoding.js";
export { editDistance, nearest } from "./suggest.js";
