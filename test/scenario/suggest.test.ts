import { describe, expect, it } from "vitest";
import { ScenarioSchema } from "../../src/scenario/index.js";
import {
  discriminatorValues,
  editDistance,
  fieldHomes,
  fieldNamesAt,
  nearest,
  otherOptionsWithField,
  schemasAt,
  suggestField,
  suggestValue,
} from "../../src/scenario/suggest.js";
import { RateShapeSchema } from "../../src/spec/index.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["partitonKey", "partitionKey", 1], // one deletion
    ["shpae", "shape", 1], // one swap of adjacent letters
    ["diurnl", "diurnal", 1],
    ["ca", "abc", 3], // optimal string alignment: no edits inside a transposed pair
  ])("distance(%j, %j) = %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("nearest", () => {
  const fields = ["name", "client", "instances", "rate", "recordSize", "partitionKey", "api", "linger", "maxBatchRecords"];

  it("finds a name one or two typos away", () => {
    expect(nearest("partitonKey", fields)).toBe("partitionKey");
    expect(nearest("intsances", fields)).toBe("instances");
    expect(nearest("lingr", fields)).toBe("linger");
    expect(nearest("maxBatchRecord", fields)).toBe("maxBatchRecords");
  });

  it("ignores case", () => {
    expect(nearest("recordsize", fields)).toBe("recordSize");
    expect(nearest("PARTITIONKEY", fields)).toBe("partitionKey");
    expect(nearest("API", fields)).toBe("api");
  });

  it("suggests nothing for a word unlike every name", () => {
    expect(nearest("colour", fields)).toBeUndefined();
    expect(nearest("x", fields)).toBeUndefined();
  });

  it("allows more edits for longer names, at most three", () => {
    expect(nearest("partition", fields)).toBe("partitionKey"); // 3 edits on 12 letters
    expect(nearest("nme", fields)).toBe("name");
    expect(nearest("nm", fields)).toBeUndefined(); // 2 edits on 4 letters is too many
  });

  it("breaks ties by exact-case distance, then by order, deterministically", () => {
    expect(nearest("AbC", ["abc", "Abc"])).toBe("Abc");
    expect(nearest("Ab", ["ab", "AB"])).toBe("ab");
    expect(nearest("ax", ["ay", "az"])).toBe("ay");
  });
});

describe("suggestValue", () => {
  it("suggests enum and discriminator values for strings only", () => {
    expect(suggestValue("diurnl", discriminatorValues(RateShapeSchema))).toBe("diurnal");
    expect(suggestValue("Constant", ["constant", "poisson"])).toBe("constant");
    expect(suggestValue(5, ["constant"])).toBeUndefined();
  });
});

describe("walking the scenario schema", () => {
  const data = {
    name: "q",
    stream: { shards: 1 },
    producers: [{ name: "web", client: "sdk", rate: { shape: "diurnal" }, partitionKey: { kind: "zipf" } }],
  };

  it("lists the top-level fields", () => {
    expect(fieldNamesAt(ScenarioSchema, [], data)).toEqual(["name", "description", "seed", "duration", "warmup", "fidelity", "region", "account", "stream", "streams", "producers", "consumers", "firehose", "faults", "reshards", "autoscaling", "prices", "slo"]);
  });

  it("goes through arrays, defaults and prefaults", () => {
    expect(fieldNamesAt(ScenarioSchema, ["stream"], data)).toEqual(["name", "mode", "shards", "onDemand", "reshardDuration", "retention", "maxRecordSize", "writeBurst", "readBurst"]);
    expect(fieldNamesAt(ScenarioSchema, ["producers", 0, "retry"], data)).toEqual(["maxAttempts", "base", "cap"]);
    expect(fieldNamesAt(ScenarioSchema, ["fidelity"], data)).toEqual(["granularity", "window", "mergeOldLogEntries"]);
  });

  it("picks the option of a discriminated union that the data names", () => {
    expect(fieldNamesAt(ScenarioSchema, ["producers", 0, "rate"], data)).toEqual(["shape", "mean", "peak", "period", "peakAt", "arrivals"]);
    expect(fieldNamesAt(ScenarioSchema, ["producers", 0, "partitionKey"], data)).toEqual(["kind", "keys", "exponent", "prefix", "names"]);
  });

  it("offers the fields of every option when the discriminator is missing or unknown", () => {
    const unknown = { producers: [{ rate: { shape: "sine" } }] };
    const names = fieldNamesAt(ScenarioSchema, ["producers", 0, "rate"], unknown);
    expect(names).toEqual(["shape", "value", "arrivals", "levels", "from", "to", "start", "end", "mean", "peak", "period", "peakAt", "base", "spikes", "file", "scale", "within", "peakToMean", "repeat"]);
  });

  it("finds the schema of a field deep in the scenario", () => {
    expect(schemasAt(ScenarioSchema, ["producers", 0, "rate", "levels", 0, "at"], { producers: [{ rate: { shape: "step" } }] })).toHaveLength(1);
    expect(schemasAt(ScenarioSchema, ["stream", "nope"], data)).toEqual([]);
  });

  it("suggests a field from the right place", () => {
    expect(suggestField(ScenarioSchema, ["producers", 0], data, "recordsize")).toBe("recordSize");
    expect(suggestField(ScenarioSchema, ["producers", 0, "rate"], data, "peek")).toBe("peak");
    expect(suggestField(ScenarioSchema, ["stream"], data, "shard")).toBe("shards");
    expect(suggestField(ScenarioSchema, [], data, "durration")).toBe("duration");
  });

  it("finds where a field written at the wrong level belongs", () => {
    expect(fieldHomes(ScenarioSchema, "shards")).toEqual(["stream", "streams[]", "reshards[]"]);
    expect(fieldHomes(ScenarioSchema, "maxAttempts")).toEqual(["producers[].retry", "consumers[].output.retry", "consumers[].poll.retry"]);
    expect(fieldHomes(ScenarioSchema, "nothing")).toEqual([]);
  });

  it("tells which other options of a union have a field", () => {
    const constant = { producers: [{ rate: { shape: "constant" } }] };
    expect(otherOptionsWithField(ScenarioSchema, ["producers", 0, "rate"], constant, "peak")).toEqual({
      discriminator: "shape",
      current: "constant",
      values: ["diurnal"],
    });
    expect(otherOptionsWithField(ScenarioSchema, ["producers", 0, "rate"], constant, "nothing")).toBeUndefined();
  });

  it("lists discriminator values in schema order", () => {
    expect(discriminatorValues(RateShapeSchema)).toEqual(["constant", "poisson", "step", "ramp", "diurnal", "spikes", "trace"]);
  });
});
