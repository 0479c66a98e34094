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
