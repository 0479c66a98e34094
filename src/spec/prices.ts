// The price table a scenario's bill uses: the built-in us-east-1 table, with amounts overridden (another region, a
// discount). Issue 12 extends it.

import { z } from "zod";

export const PricesSchema = z
  .strictObject({
    override: z.record(z.string(), z.number().min(0).max(1e6)).optional().describe("Prices to use instead of the table's, by item (USD)."),
  })
  .describe("The prices the monthly bill uses.");

export type PricesSpec = z.output<typeof PricesSchema>;
