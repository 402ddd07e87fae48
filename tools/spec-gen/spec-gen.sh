#!/usr/bin/env bash
# Rebuilds spec/ from the official MIT packages, pinned below: fetches them
# from PyPI and npm into a temporary directory (never committed), extracts
# and merges them (merge.py), and copies their licences. Needs python3, pip,
# node and npm; the Rust build and CI need none of them (they read spec/).
set -euo pipefail
cd "$(dirname "$0")/../.."

LARK_OAPI=1.7.5
LARK_MCP=0.5.1
NODE_SDK=1.74.0
ZOD=3.25.76 # what lark-mcp's generated tools are written against (^3.23)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== fetching lark-oapi $LARK_OAPI, lark-mcp $LARK_MCP, node-sdk $NODE_SDK"
python3 -m pip download --quiet --no-deps --only-binary=:all: "lark-oapi==$LARK_OAPI" -d "$work/py"
python3 -m zipfile -e "$work"/py/lark_oapi-"$LARK_OAPI"-*.whl "$work/py/wheel"
(cd "$work" && npm pack --silent "@larksuiteoapi/lark-mcp@$LARK_MCP" "@larksuiteoapi/node-sdk@$NODE_SDK" >/dev/null)
mkdir -p "$work/mcp" "$work/sdk" "$work/zod"
tar xzf "$work/larksuiteoapi-lark-mcp-$LARK_MCP.tgz" -C "$work/mcp"
tar xzf "$work/larksuiteoapi-node-sdk-$NODE_SDK.tgz" -C "$work/sdk"
(cd "$work/zod" && npm install --silent --no-audit --no-fund --no-save "zod@$ZOD" >/dev/null)

echo "== extracting"
node tools/spec-gen/extract_mcp.js "$work/mcp/package" "$work/zod/node_modules" >"$work/mcp.json"
mkdir -p spec/LICENSES
python3 tools/spec-gen/merge.py "$work/py/wheel/lark_oapi" "$work/mcp.json" "$work/sdk/package/lib/index.js" spec

cp "$work/py/wheel/lark_oapi-$LARK_OAPI.dist-info/licenses/LICENSE" spec/LICENSES/lark-oapi.txt
cp "$work/mcp/package/LICENSE" spec/LICENSES/lark-mcp.txt
cp "$work/sdk/package/LICENSE" spec/LICENSES/node-sdk.txt
echo "ok: $(grep -m1 'APIs (lark' spec/REPORT.md)"
