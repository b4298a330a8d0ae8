#!/usr/bin/env bash
# install-sdk.sh - installs the official Node SDK (openai@7.55.0) that the Node SDK tests drive, into a
# cached folder outside the repository ($OPENAI_NODE_SDK_DIR, default ${TMPDIR:-/tmp}/openai-node-sdk-7.55.0;
# the tests look in the same place), unless it is there already, and prints the folder.
# ./test.sh runs it. Exit 3: node or npm missing; 4: the install failed.
set -euo pipefail
version=7.55.0
sdk_dir="${OPENAI_NODE_SDK_DIR:-${TMPDIR:-/tmp}/openai-node-sdk-$version}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are required" >&2; exit 3; }
installed="$(node -p "try{require('$sdk_dir/node_modules/openai/package.json').version}catch{''}" 2>/dev/null || true)"
if [ "$installed" != "$version" ]; then
  rm -rf "$sdk_dir" && mkdir -p "$sdk_dir"
  echo '{"private":true}' > "$sdk_dir/package.json"
  # openai has no runtime dependencies; it asks for node>=22 but runs on node 20 (EBADENGINE is only a warning).
  (cd "$sdk_dir" && npm install --no-audit --no-fund --no-package-lock --engine-strict=false \
      --loglevel=error "openai@$version") >&2 || { echo "npm install openai@$version failed" >&2; exit 4; }
fi
echo "$sdk_dir"
