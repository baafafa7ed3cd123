#!/usr/bin/env bash
# Stops what start.sh started, by recorded PID only. Usage: testenv/stop.sh RUNDIR
R=${1:?usage: stop.sh RUNDIR}
for f in kcm webhook apiserver etcd; do
  if [ -f "$R/$f.pid" ]; then kill "$(cat "$R/$f.pid")" 2>/dev/null || true; rm -f "$R/$f.pid"; fi
done
true
