#!/usr/bin/env bash
# Builds the test environment's Kubernetes API server: kube-apiserver and kube-controller-manager v1.20.2 from
# Debian bookworm's `kubernetes` source package with Debian's Go 1.19, plus kubectl 1.20 and etcd, all through apt.
# Nothing is downloaded from anywhere but Debian's archive. Needs root (apt). 5-10 minutes on 2 cores, ~2 GB disk;
# a second run reuses the binaries.
#
# Usage: testenv/build.sh [DIR]   (default: $PALISADE_TESTENV_DIR or ~/.cache/palisade/testenv)
# Result: DIR/bin/{kube-apiserver,kube-controller-manager,kubectl-1.20}; etcd is /usr/bin/etcd.
set -euo pipefail
DIR=${1:-${PALISADE_TESTENV_DIR:-$HOME/.cache/palisade/testenv}}
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)
if [ -x "$DIR/bin/kube-apiserver" ] && [ -x "$DIR/bin/kubectl-1.20" ] && command -v etcd >/dev/null; then
  echo "testenv: using cached binaries in $DIR/bin"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
cd "$DIR"
# Source packages: a deb-src entry derived from the machine's own Debian source list.
if [ -f /etc/apt/sources.list.d/debian.sources ] && [ ! -f /etc/apt/sources.list.d/palisade-src.sources ]; then
  sed -n '1,/^$/p' /etc/apt/sources.list.d/debian.sources \
    | sed 's/^Types:.*/Types: deb-src/; s/^Suites:.*/Suites: bookworm bookworm-updates/' \
    > /etc/apt/sources.list.d/palisade-src.sources
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends golang-1.19-go etcd-server rsync make patch dpkg-dev openssl curl \
  golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev >/dev/null
rm -rf kubectl-root && apt-get download -qq kubernetes-client && dpkg -x kubernetes-client_*.deb kubectl-root
rm -rf kubernetes-*/ && apt-get source -qq kubernetes >/dev/null
cd kubernetes-1.20.5+really1.20.2
# With Go >= 1.18 the vendored reflect2 1.0.1 / json-iterator 1.1.10 crash at the first mutating webhook call;
# Debian packages the fixed 1.0.2 / 1.1.12.
for d in github.com/modern-go/reflect2 github.com/json-iterator/go; do
  rm -rf "vendor/$d" && mkdir -p "vendor/$d"
  find "/usr/share/gocode/src/$d" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' \
    -exec cp {} "vendor/$d/" \;
done
export PATH=/usr/lib/go-1.19/bin:$PATH GOPROXY=off GOFLAGS= GOCACHE=$DIR/gocache CGO_ENABLED=0
export KUBE_BUILD_PLATFORMS=linux/amd64 KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 \
  KUBE_GIT_MINOR=20 KUBE_GIT_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
make WHAT="cmd/kube-apiserver cmd/kube-controller-manager"
mkdir -p "$DIR/bin"
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager "$DIR/bin/"
cp "$DIR/kubectl-root/usr/bin/kubectl" "$DIR/bin/kubectl-1.20"
cd "$DIR" && rm -rf kubernetes-*/ gocache
ls -la "$DIR/bin"
