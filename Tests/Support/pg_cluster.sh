#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, in a folder of its own.
#   pg_cluster.sh start DIR [--durable]
#                             initdb, start on a Unix socket in DIR and on a
#                             free loopback port; prints the socket folder and
#                             port as shell assignments. Without --durable
#                             commits do not wait for the disk (tests only).
#   pg_cluster.sh stop DIR    stop it (immediate) and remove DIR
# As root the server runs as `nobody` (PostgreSQL refuses to run as root).
# Socket connections are trusted; loopback ones need a password (SCRAM).
set -euo pipefail
command=$1 dir=$2 durable=${3:-}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg_cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }

case $command in
start)
	# The server outlives this script: it must not hold a caller's pipes
	# open (a caller waiting for their end would wait for ever).
	for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-" 2>/dev/null; done
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir"
	chmod 0755 "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U mdrsd --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "$durable" = --durable ] && fast=""
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
		"-k $dir -p $port -c listen_addresses=127.0.0.1 $fast -c max_connections=300" >/dev/null
	echo "MDRSD_TEST_PG_SOCKETS=$dir MDRSD_TEST_PG_PORT=$port"
	;;
stop)
	[ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2
	;;
esac
