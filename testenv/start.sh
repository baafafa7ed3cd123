#!/usr/bin/env bash
# Starts etcd and kube-apiserver on loopback and writes kubeconfigs. Usage: testenv/start.sh RUNDIR [BINDIR]
# Ports: ETCD_PORT (default 23790, uses +1 for peers) and API_PORT (default 16443). With KCM=1 also starts
# kube-controller-manager (built-in ClusterRoles get their aggregated rules, default service accounts appear).
# Writes RUNDIR/{admin,viewer,certadmin}.kubeconfig and RUNDIR/*.pid; logs in RUNDIR/logs. stop.sh RUNDIR stops it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
R=${1:?usage: start.sh RUNDIR [BINDIR]}; mkdir -p "$R" && R=$(cd "$R" && pwd)
BIN=${2:-${PALISADE_TESTENV_DIR:-$HOME/.cache/palisade/testenv}/bin}
ETCD=${ETCD:-$(command -v etcd || echo /usr/bin/etcd)}
ETCD_PORT=${ETCD_PORT:-23790}; API_PORT=${API_PORT:-16443}
P=$R/pki; mkdir -p "$R/etcd-data" "$R/logs"
[ -f "$P/ca.crt" ] || "$HERE/certs.sh" "$P" >/dev/null
"$ETCD" --name test --data-dir "$R/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT+1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT+1))" \
  --initial-cluster "test=http://127.0.0.1:$((ETCD_PORT+1))" --unsafe-no-fsync > "$R/logs/etcd.log" 2>&1 &
echo $! > "$R/etcd.pid"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null && break; sleep 0.2; done
"$BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" --insecure-port=0 \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" --token-auth-file="$P/tokens.csv" --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc --api-audiences=https://kubernetes.default.svc \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/24 --disable-admission-plugins=ServiceAccount --allow-privileged=true \
  --cert-dir="$R/certdir" > "$R/logs/apiserver.log" 2>&1 &
echo $! > "$R/apiserver.pid"
ready=0
for _ in $(seq 1 240); do
  if curl -sf --cacert "$P/ca.crt" -H "Authorization: Bearer $(cat "$P/admin.token")" \
    "https://127.0.0.1:$API_PORT/readyz" >/dev/null; then ready=1; break; fi
  kill -0 "$(cat "$R/apiserver.pid")" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != 1 ]; then echo "testenv: kube-apiserver did not become ready; see $R/logs/apiserver.log" >&2; exit 1; fi
kc() { # name user-stanza
  cat > "$R/$1.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: test, cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$P/ca.crt"}}]
users: [{name: $1, user: $2}]
contexts: [{name: test, context: {cluster: test, user: $1}}]
current-context: test
KC
}
kc admin "{token: \"$(cat "$P/admin.token")\"}"
kc viewer "{token: \"$(cat "$P/viewer.token")\"}"
kc certadmin "{client-certificate: \"$P/admin.crt\", client-key: \"$P/admin.key\"}"
if [ "${KCM:-0}" = 1 ]; then
  "$BIN/kube-controller-manager" --kubeconfig="$R/certadmin.kubeconfig" --bind-address=127.0.0.1 --port=0 \
    --secure-port=0 --leader-elect=false --use-service-account-credentials=false \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --controllers=clusterrole-aggregation,serviceaccount,serviceaccount-token,namespace \
    > "$R/logs/kcm.log" 2>&1 &
  echo $! > "$R/kcm.pid"
fi
echo "testenv: kube-apiserver ready at https://127.0.0.1:$API_PORT ($R)"
