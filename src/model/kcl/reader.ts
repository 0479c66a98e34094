// How a record processor's records reach it: by polling (GetRecords) or by enhanced fan-out (SubscribeToShard).

import type { Micros } from "../../engine/time.js";
import type { Fetched, Session } from "./state.js";

export interface Reader {
  /** A record processor starts on a shard: begin reading it. */
  begin(session: Session, t: Micros): void;
  /** The prefetch cache has room again after the reader waited for it. */
  resume(session: Session, t: Micros): void;
}

/** Where a reader hands what it read. */
export interface Delivery {
  deliver(session: Session, batch: Fetched, t: Micros): void;
}
