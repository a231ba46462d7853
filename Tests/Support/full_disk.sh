#!/bin/sh
# Runs a command (the daemon) with STATE on a small tmpfs of its own, in a
# user and mount namespace (unshare -rm), so the database can really fill up
# without root on the host. The test steers it with files in CONTROL:
#   fill    -> fill the tmpfs to the last byte, then touch "filled"
#   free    -> remove the filler, then touch "freed"
#   status  -> run `mdrsctl status --format json` inside, into status.json
# usage: full_disk.sh STATE CONTROL MDRSCTL CONFIG SIZE -- COMMAND...
set -eu
state=$1 control=$2 mdrsctl=$3 config=$4 size=$5
shift 6
mount -t tmpfs -o "size=$size,mode=0700" tmpfs "$state"
daemon=$$
(
    # Ends with the daemon (its pid gone or a zombie), whatever it inherited.
    while [ -d "$control" ] && [ -e "/proc/$daemon" ] && ! grep -q '^State:.*Z' "/proc/$daemon/status" 2>/dev/null; do
        if [ -e "$control/fill" ]; then
            rm -f "$control/fill"
            dd if=/dev/zero of="$state/filler" bs=4096 2>/dev/null || true
            touch "$control/filled"
        fi
        if [ -e "$control/free" ]; then
            rm -f "$control/free" "$state/filler"
            touch "$control/freed"
        fi
        if [ -e "$control/status" ]; then
            rm -f "$control/status"
            "$mdrsctl" --config "$config" status --format json > "$control/status.tmp" 2>&1 || true
            mv "$control/status.tmp" "$control/status.json"
        fi
        sleep 0.1
    done
) < /dev/null > /dev/null 2>&1 &
exec "$@"
