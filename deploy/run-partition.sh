#!/bin/sh
# Runs one slice of a partitioned shardcast sweep: the entrypoint of the container that a batch scheduler starts
# once per slice (deploy/README.md). The slice comes from the scheduler's index, 0-based:
#   Kubernetes Indexed Job: JOB_COMPLETION_INDEX;  AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX;
#   GNU parallel, xargs or a shell loop: the first argument.
# Settings (environment):
#   SHARDCAST_SCENARIO    the scenario file (required)
#   SHARDCAST_PARTITIONS  how many slices the sweep is cut into (required; the job's completions / array size)
#   SHARDCAST_SWEEP_ARGS  the sweep's options, the same for every slice (e.g. "--vary stream.shards=4..64:4 --replications 10")
#   SHARDCAST_PARTS       the folder every slice writes its part into (a shared volume or bucket mount; default ./parts)
#   SHARDCAST             the command that runs shardcast (default: shardcast, the package's bin)
# Each slice writes $SHARDCAST_PARTS/<i>/sweep-part-<i>-of-<n>.json; `shardcast merge $SHARDCAST_PARTS/*` then
# writes the sweep a single machine would have written, byte for byte.
set -eu
index="${1:-${JOB_COMPLETION_INDEX:-${AWS_BATCH_JOB_ARRAY_INDEX:-}}}"
if [ -z "$index" ]; then
  echo "run-partition.sh: no slice index (set JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or pass it as the first argument)" >&2
  exit 2
fi
: "${SHARDCAST_SCENARIO:?run-partition.sh: set SHARDCAST_SCENARIO to the scenario file}"
: "${SHARDCAST_PARTITIONS:?run-partition.sh: set SHARDCAST_PARTITIONS to the number of slices}"
case "$index" in *[!0-9]*) echo "run-partition.sh: the slice index must be a whole number, got $index" >&2; exit 2;; esac
if [ "$index" -ge "$SHARDCAST_PARTITIONS" ]; then
  echo "run-partition.sh: slice index $index is not below SHARDCAST_PARTITIONS ($SHARDCAST_PARTITIONS)" >&2
  exit 2
fi
slice=$((index + 1))
parts="${SHARDCAST_PARTS:-parts}"
# Word splitting of SHARDCAST and SHARDCAST_SWEEP_ARGS is intended: they hold a command and its options.
# shellcheck disable=SC2086
exec ${SHARDCAST:-shardcast} sweep "$SHARDCAST_SCENARIO" ${SHARDCAST_SWEEP_ARGS:-} --quiet --partition "$slice/$SHARDCAST_PARTITIONS" --out "$parts/$slice"
