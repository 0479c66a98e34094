// The scenario layer's public surface: units, the zod schema and its types, parsing scenario files with
// file:line:column problems, and the JSON Schema export.

export * from "../spec/units.js";
export { byteRate, duration, recordRate, size } from "../spec/fields.js";
export {
  FidelitySchema,
  LatencySchema,
  PartitionKeySchema,
  ProducerSchema,
  RateShapeSchema,
  RecordSizeSchema,
  ScenarioSchema,
  SdkProducerSchema,
  SloSchema,
  StreamSchema,
  type LatencySpec,
  type PartitionKeySpec,
  type ProducerSpec,
  type RateShape,
  type RecordSizeSpec,
  type Scenario,
  type ScenarioInput,
  type SdkProducerSpec,
  type SloSpec,
  type StreamSpec,
} from "../spec/index.js";
export { checkScenario, formatPath, formatProblem, jsonSyntaxError, parseScenario, ScenarioError, type CheckResult, type Problem } from "./load.js";
export { editDistance, nearest } from "./suggest.js";
export { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from "../spec/jsonSchema.js";
