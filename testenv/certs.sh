#!/usr/bin/env bash
# A throwaway PKI for a loopback-only test API server. Usage: testenv/certs.sh DIR
# ca.{crt,key}; apiserver.* and webhook.* serving certs for 127.0.0.1/localhost; admin.* client cert
# (system:masters); sa.{key,pub}; tokens.csv with admin.token (system:masters) and viewer.token (group scanners).
set -euo pipefail
D=${1:?usage: certs.sh DIR}; mkdir -p "$D"; cd "$D"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=palisade-test-ca" 2>/dev/null
leaf() { # name subject san extendedKeyUsage
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' "$4" "$3" \
    > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 2 -extfile "$1.ext" \
    2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
leaf apiserver "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc" serverAuth
leaf webhook "/CN=palisade-webhook" "subjectAltName=IP:127.0.0.1,DNS:localhost" serverAuth
leaf admin "/O=system:masters/CN=cert-admin" "" clientAuth
openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
ADMIN=$(openssl rand -hex 16); VIEWER=$(openssl rand -hex 16)
printf '%s,token-admin,1,"system:masters"\n%s,token-viewer,2,"scanners"\n' "$ADMIN" "$VIEWER" > tokens.csv
echo "$ADMIN" > admin.token; echo "$VIEWER" > viewer.token
