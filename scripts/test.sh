#!/usr/bin/env bash
# The whole test suite: unit tests of every module, then the integration tests that need the
# real ROS tools. Installs what the tests need when it is missing (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_apt[@]}"
  else
    echo "missing: ${need_apt[*]} (run as root or install them)" >&2; exit 1
  fi
fi

# The gRPC integration test drives the server with `buf curl`, a client nobody here wrote
# (npm package @bufbuild/buf). Installed into a cache outside the repository when missing.
buf_dir="${HOME}/.cache/diffeo-motion/npm"
if [ ! -x "$buf_dir/node_modules/.bin/buf" ] && [ -z "${BUF_BIN:-}" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
    else
      echo "missing: npm (needed to install @bufbuild/buf for the gRPC integration test)" >&2; exit 1
    fi
  fi
  mkdir -p "$buf_dir"
  npm install --no-audit --no-fund --prefix "$buf_dir" @bufbuild/buf >&2
fi

mvn -B -ntp verify -Pit
