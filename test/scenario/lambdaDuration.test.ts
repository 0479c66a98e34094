// A Lambda function whose invocations take no time (perInvocation and perRecord both 0, each allowed alone) made the
// mapping's throughput bound infinite: "Infinity records/s" in report.md and null in report.json, against its schema
// (helper-68). Lambda bills every invocation at least 1 ms: such a function is an error at its duration.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError } from "../../src/scenario/index.js";

const text = (duration: string) => `name: zero
duration: 2m
stream: { shards: 1 }
producers:
  - { name: p, client: sdk, rate: { shape: constant, value: 10/s }, recordSize: { dist: fixed, size: 100B } }
consumers:
  - name: fn
    kind: lambda
    startingPosition: LATEST
    function:
      duration: ${duration}
`;

describe("a Lambda function's duration", () => {
  it("both parts 0: an error naming the field, line and why", () => {
    let error: unknown;
    try {
      parseScenario(text("{ perInvocation: 0s, perRecord: 0s }"), "zero.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const [p] = (error as ScenarioError).problems;
    expect(p).toMatchObject({ line: 11, path: "consumers[0].function.duration.perInvocation" });
    expect(p!.message).toBe("perInvocation and perRecord are both 0: an invocation takes time (Lambda bills at least 1 ms); give either a positive duration");
  });

  it("either part alone may be 0", () => {
    expect(() => parseScenario(text("{ perInvocation: 0s, perRecord: 1ms }"), "zero.yaml")).not.toThrow();
    expect(() => parseScenario(text("{ perInvocation: 5ms, perRecord: 0s }"), "zero.yaml")).not.toThrow();
  });
});
