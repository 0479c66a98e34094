// The price table a scenario's bill uses: a built-in table (us-east-1 by default) with items overridden — another
// Region's amounts, a discount, a private price. The items and their sources are in src/aws/prices.ts and
// docs/limits.md.

import { z } from "zod";
import { DEFAULT_PRICE_TABLE, PRICE_ITEMS, PRICE_TABLES } from "../aws/prices.js";

const TABLE_IDS = Object.keys(PRICE_TABLES) as [string, ...string[]];

export const PricesSchema = z
  .strictObject({
    table: z
      .enum(TABLE_IDS, { error: () => `prices.table must be one of the built-in tables: ${TABLE_IDS.join(", ")}` })
      .default(DEFAULT_PRICE_TABLE)
      .describe(`The built-in price table: ${TABLE_IDS.join(", ")} (default ${DEFAULT_PRICE_TABLE}).`),
    override: z
      .record(z.string(), z.number().min(0).max(1e6))
      .superRefine((o, ctx) => {
        for (const k of Object.keys(o)) {
          if ((PRICE_ITEMS as string[]).includes(k)) continue;
          ctx.addIssue({ code: "custom", path: [k], message: `unknown price item "${k}"; the items are: ${PRICE_ITEMS.join(", ")}` });
        }
      })
      .optional()
      .describe(
        `Amounts to use instead of the table's, by item (USD in the item's unit; advantageCommitmentMiBps in MiB/s). Items: ${PRICE_ITEMS.join(", ")}.`,
      ),
  })
  .describe("The prices the monthly bill uses: a table and the items overridden.");

export type PricesSpec = z.output<typeof PricesSchema>;
