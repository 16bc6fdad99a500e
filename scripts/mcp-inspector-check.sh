#!/usr/bin/env bash
# Drives the stdio intelligence-router MCP server with the MCP Inspector CLI (the pinned
# devDependency): tools/list, then one tools/call. Fails when either fails or answers without the
# expected content. Runs in a temp dir with its own config and an empty SQLite store.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'store:\n  dir: ./data\n' >"$work/aigw.yaml"
inspector="$repo/node_modules/.bin/mcp-inspector-cli"
# The inspector consumes a --config flag itself, so the server finds its config as ./aigw.yaml in cwd.
cd "$work"

list="$(timeout 120 "$inspector" --cli node "$repo/bin/aigw.mjs" mcp intelligence-router --method tools/list)"
for tool in get_routing_analytics optimize_routing_rules assess_optimization_risks; do
  grep -q "\"name\": \"$tool\"" <<<"$list" || { echo "mcp-inspector-check: tools/list lacks $tool" >&2; echo "$list" >&2; exit 1; }
done

call="$(timeout 120 "$inspector" --cli node "$repo/bin/aigw.mjs" mcp intelligence-router \
  --method tools/call --tool-name get_routing_analytics --tool-arg timeframe=24h)"
# An empty store: the tool answers with a clear insufficient-data error, which proves the call
# went through the server, the store and back.
grep -q 'Insufficient data' <<<"$call" || { echo "mcp-inspector-check: unexpected tools/call answer" >&2; echo "$call" >&2; exit 1; }
echo "mcp-inspector-check: tools/list and tools/call OK"
