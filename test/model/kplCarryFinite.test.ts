// The KPL's collector carries (the processes' requests due for early records) stay finite: a window whose early
// records have no lead and none are expected (hold 0) makes every process's deadline now, and all send; the carries
// were Infinity then, and NaN once spent (∞ − ∞), which made the next windows' shares NaN and a split of NaN records
// (the property test's counterexample at seed 1952097661, below as it shrank: a KPL at 381 records/s with zipf keys,
// RecordTtl 1 s, RateLimit 50%, beside a Direct PUT producer, on 4 on-demand shards). With the split checks on (as the
// property test runs), the run threw "splitOldest(…, NaN): k must be a whole number".
import { describe, expect, it } from "vitest";
import { build } from "../../src/model/build.js";
import { simulate } from "../../src/model/simulate.js";
import { parseScenario, resolveTraces } from "../../src/scenario/index.js";

const SCENARIO = `{"name":"property","seed":17,"duration":"24s","warmup":"0s","fidelity":{"window":"50ms"},"producers":[{"name":"p0","instances":1,"recordSize":{"dist":"lognormal","median":"50B","p99":"50B"},"partitionKey":{"kind":"random"},"client":"sdk","rate":{"shape":"poisson","value":"1/s"},"api":"PutRecords","linger":"0ms","retry":{"maxAttempts":1},"deliveryStream":"f"},{"name":"p1","instances":1,"recordSize":{"dist":"lognormal","median":"1015B","p99":"13195B"},"partitionKey":{"kind":"zipf","keys":828,"exponent":1.999934590221655},"client":"kpl","rate":{"shape":"constant","value":"381/s"},"kpl":{"aggregationEnabled":true,"recordTtl":"1s","failIfThrottled":false,"rateLimit":50}}],"stream":{"name":"s","shards":4,"mode":"on-demand"},"firehose":[{"name":"f","source":"direct-put","buffer":{"size":"1MiB","interval":"0s"},"destination":{"kind":"redshift","copy":{"fixed":"1s","perMiB":"100ms"}}}]}`;

describe("the KPL's collector carries stay finite when early records come due at once", () => {
  it("the shrunk counterexample runs with the split checks on, its client metrics finite", () => {
    const scenario = parseScenario(SCENARIO, "property.json");
    const model = build(scenario, { traces: resolveTraces(scenario, "property.json", () => ""), checks: true });
    expect(() => simulate(model)).not.toThrow();
    for (const p of model.producers) {
      for (const v of Object.values(p.model.clientMetrics())) expect(Number.isFinite(v)).toBe(true);
    }
  });
});
