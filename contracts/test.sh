#!/usr/bin/env bash
# Run the forge tests (offline, solc via ./solc-shim). Works from any cwd; extra args go to `forge test`.
# Writes only contracts/out and contracts/cache (gitignored) plus a temp dir it removes.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"   # foundry.toml's solc = "./solc-shim" is resolved against the cwd
FORGE="${FORGE:-$DIR/../tools/devnet/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}"
[ -x "$FORGE" ] || { echo "test.sh: forge not found at $FORGE (run npm install in tools/devnet)" >&2; exit 2; }
command -v node >/dev/null || { echo "test.sh: node is required (solc-shim runs npm solc)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export HOME="$TMP/home"   # forge's signature cache goes here, not to ~/.foundry
mkdir -p "$HOME"
set +e
"$FORGE" test --root "$DIR" "$@"
rc=$?
exit "$rc"
