#!/usr/bin/env node
// The shardcast executable: runs the command line on this process's arguments and sets its exit code.
import { main } from "./main.js";

// A reader that stops early (`shardcast schema | head`) closes the pipe: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
