#!/usr/bin/env node
// The shardcast executable (package.json's `bin`): runs the command line on this process's arguments and sets
// its exit code.
import { runProcess } from "./main.js";

await runProcess();
