#!/bin/sh
# Run mops schedule (the long-running scheduler) over the firm's workbooks, for systemd.
#
#   MOPS_WORKBOOKS  the folder of the workbooks (required)
#   MOPS_BIN        the mops command (default: mops on PATH)
#   MOPS_CONFIG     the firm's mops.toml (default: mops.toml in the workbooks' folder, if any)
set -eu
: "${MOPS_WORKBOOKS:?set MOPS_WORKBOOKS to the folder of the workbooks}"
MOPS_BIN="${MOPS_BIN:-mops}"
if [ -z "${MOPS_CONFIG:-}" ] && [ -f "$MOPS_WORKBOOKS/mops.toml" ]; then
    MOPS_CONFIG="$MOPS_WORKBOOKS/mops.toml"
    export MOPS_CONFIG
fi
cd "$MOPS_WORKBOOKS"
exec $MOPS_BIN schedule run "$MOPS_WORKBOOKS"
