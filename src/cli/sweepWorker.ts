// A worker thread of `shardcast sweep`: one run per task.
import { runTask } from "../sweep/summary.js";

export default runTask;
