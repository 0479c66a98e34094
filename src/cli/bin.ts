#!/usr/bin/env node
// The shardcast executable: runs the command line on this process's arguments and sets its exit code.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
