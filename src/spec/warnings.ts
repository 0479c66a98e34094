// Warnings: what a valid scenario says that the real service would likely refuse or that a planner should check,
// as data. Unlike the schema's errors they do not stop a run: `shardcast validate` and `run` print them with the
// field's file:line:col (src/scenario places them), and the report lists them. One pure function over the
// parsed Scenario, one check per kind; later checks add a kind to ScenarioWarning and a function below.

import * as L from "../aws/limits.js";
import { DEFAULT_REGION } from "./common.js";
import { streamsOf, type Scenario } from "./scenario.js";

/** A warning about a valid scenario. */
export interface ScenarioWarning {
  /** What kind of warning, stable for tools: "account-shard-quota". */
  code: "account-shard-quota";
  /** The field it is about, as a path into the scenario file's data: ["stream", "shards"], ["streams"]. */
  path: (string | number)[];
  /** What is wrong and what to do, in words. */
  message: string;
}

/** Every warning about a scenario, in the order of its fields. */
export function scenarioWarnings(sc: Scenario): ScenarioWarning[] {
  return [...accountShardQuota(sc)];
}

/** The Region the scenario's streams are in: its `region`, or us-east-1. */
export function regionOf(sc: Pick<Scenario, "region">): string {
  return sc.region ?? DEFAULT_REGION;
}

/**
 * The shards a stream holds against the account's shard quota, from the most it has open at once. Today a
 * stream keeps its `shards` for the whole run, so that is all it holds. The hook for resharding (a later issue):
 * pass the peak open shard count of its plan and add the short-lived shards UpdateShardCount's splits and merges
 * create, which "count towards your total shard limit for your account in the Region" (API Reference
 * UpdateShardCount: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html).
 */
export function shardsAgainstQuota(peakOpenShards: number): number {
  return peakOpenShards;
}

const n = (x: number) => x.toLocaleString("en-US");

/**
 * The account's shard quota per Region (quotas page: https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html):
 * the provisioned streams' shards together must fit it, or CreateStream fails with LimitExceededException (API
 * Reference CreateStream). On-demand streams have no shard quota (and the scenario language has none yet).
 */
function accountShardQuota(sc: Scenario): ScenarioWarning[] {
  const streams = streamsOf(sc).filter((s) => s.spec.mode === "provisioned");
  if (streams.length === 0) return [];
  const shards = streams.reduce((total, s) => total + shardsAgainstQuota(s.spec.shards), 0);
  const region = regionOf(sc);
  const path = sc.streams ? ["streams"] : ["stream", "shards"];
  const what = streams.length === 1 ? `${n(shards)} shards` : `${streams.length} streams with ${n(shards)} shards in all`;
  const set = sc.account?.shardQuota;
  if (set !== undefined) {
    if (shards <= set) return [];
    return [
      {
        code: "account-shard-quota",
        path,
        message: `${what}: more than the account's shard quota of ${n(set)} in ${region} (account.shardQuota); CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, or use fewer shards.`,
      },
    ];
  }
  const quota = L.defaultAccountShardQuota(region);
  if (shards <= quota.quota) return [];
  const large = L.ACCOUNT_SHARD_QUOTA_LARGE_REGIONS;
  const others = `Regions other than ${large.slice(0, -1).join(", ")} and ${large.at(-1)!}`;
  const message =
    quota.orUpTo === undefined
      ? `${what}: more than the default shard quota of ${n(quota.quota)} per account in ${region}; CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, then set account.shardQuota.`
      : shards <= quota.orUpTo
        ? `${what}: more than ${n(quota.quota)}, one of the two default shard quotas per account in ${region} (AWS gives ${n(quota.quota)} or ${n(quota.orUpTo)} in ${others}, without listing which): check your quota in Service Quotas and set account.shardQuota.`
        : `${what}: more than either default shard quota per account in ${region}, ${n(quota.quota)} or ${n(quota.orUpTo)} (AWS gives one or the other in ${others}); CreateStream would fail with LimitExceededException. Request an increase in Service Quotas, then set account.shardQuota.`;
  return [{ code: "account-shard-quota", path, message }];
}
