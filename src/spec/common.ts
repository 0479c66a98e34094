// What every part of the scenario language shares: time units in microseconds and the name rule.

import { z } from "zod";
import { MICROS_PER_SECOND } from "../engine/time.js";

export const S = MICROS_PER_SECOND;
export const H = 3_600 * S;
export const MS = 1_000;

/** Names of streams, producers, consumers and delivery streams (the AWS rule for stream names). */
export const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
export const NAME_MESSAGE = "names use letters, digits, _ . - (1..128 characters)";

/** A reference to one of the scenario's Kinesis streams, by name. */
export const streamRef = () => z.string().regex(NAME, NAME_MESSAGE);

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A field's path as written in problems and warnings: ["producers", 0, "rate", "value"] → "producers[0].rate.value". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENT.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The AWS Region a scenario runs in when it does not say (the Region of shardcast's prices). */
export const DEFAULT_REGION = "us-east-1";

/** An AWS Region code: us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, cn-northwest-1, … */
export const REGION = /^[a-z]{2,4}(-[a-z]{2,12}){1,3}-\d{1,2}$/;
