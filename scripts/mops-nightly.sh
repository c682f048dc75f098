#!/bin/sh
# Run the nightly job once over the firm's workbooks (called by cron or a systemd timer).
#
#   MOPS_WORKBOOKS  the folder of the workbooks (required)
#   MOPS_BIN        the mops command (default: mops on PATH)
#   MOPS_CONFIG     the firm's mops.toml (default: mops.toml in the workbooks' folder, if any)
#
# Its exit code is mops nightly's (0 done, 1 done with things to look at, 4 another run was
# busy, 10-13 a step failed); the journal is read with: mops runs "$MOPS_WORKBOOKS".
set -eu
: "${MOPS_WORKBOOKS:?set MOPS_WORKBOOKS to the folder of the workbooks}"
MOPS_BIN="${MOPS_BIN:-mops}"
if [ -z "${MOPS_CONFIG:-}" ] && [ -f "$MOPS_WORKBOOKS/mops.toml" ]; then
    MOPS_CONFIG="$MOPS_WORKBOOKS/mops.toml"
    export MOPS_CONFIG
fi
cd "$MOPS_WORKBOOKS"
exec $MOPS_BIN nightly "$MOPS_WORKBOOKS"
