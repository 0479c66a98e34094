// The shardcast version written into reports (a test keeps it equal to package.json's).
export const SHARDCAST_VERSION = "0.1.0";
/** Version of report.json's schema: bump on any change of its shape or meaning. */
export const REPORT_SCHEMA = "shardcast.report/11";
/** The versions of the service numbers a report was computed with: the limits table and the price table. */
export { LIMITS_VERSION } from "../aws/limits.js";
export { PRICES_VERSION } from "../aws/prices.js";
