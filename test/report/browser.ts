// A headless Chromium for the tests that open report.html: Debian's /usr/bin/chromium when the machine has it,
// otherwise the build that the npm package @sparticuz/chromium carries, unpacked once into
// node_modules/.cache/shardcast-chromium (nothing goes to the system's temporary folder). So `npm ci && npm test`
// needs nothing but Node and npm.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const root = join(import.meta.dirname, "..", "..");
const CACHE = join(root, "node_modules", ".cache", "shardcast-chromium");

/** The browser to launch and the flags it wants. */
async function browser(): Promise<{ executablePath: string; args: string[] }> {
  const flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: flags };
  mkdirSync(CACHE, { recursive: true });
  // @sparticuz/chromium unpacks into os.tmpdir(): point it at the cache while it does.
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = CACHE;
  try {
    const { default: packaged } = await import("@sparticuz/chromium");
    const executablePath = await packaged.executablePath();
    return { executablePath, args: [...new Set([...packaged.args, ...flags])] };
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
}

/** A fresh headless browser profile in `profileDir` (its temporary files go there too). */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  const { executablePath, args } = await browser();
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args,
    env: { ...process.env, TMPDIR: profileDir },
    viewport: { width: 1100, height: 900 },
  });
}
