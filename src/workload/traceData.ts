// What a traffic trace holds: records (and bytes) per period. Its own file so that the CSV reader (trace.ts)
// and the CloudWatch import (cloudWatch.ts), which trace.ts re-exports, share it without importing each other.

export interface Trace {
  /** Length of one period, whole microseconds (> 0). */
  periodUs: number;
  /** Records in each period (IncomingRecords Sum); period i covers [i·periodUs, (i+1)·periodUs) of the run. */
  records: number[];
  /** Bytes in each period (IncomingBytes Sum), or null for a records-only trace. */
  bytes: number[] | null;
}

/**
 * The most periods a trace may hold (rows of a CSV, or periods of a CloudWatch export from its first data point to
 * its last): two years of 1-minute periods. Not a service limit: it bounds the memory and time a trace takes.
 */
export const MAX_TRACE_PERIODS = 1_000_000;
