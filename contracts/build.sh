#!/usr/bin/env bash
# Build the contracts with forge (offline, solc via ./solc-shim) and write artifacts/*.json.
#   bash contracts/build.sh           compile into contracts/out and rewrite contracts/artifacts/
#   bash contracts/build.sh --check   compile into a temp dir; exit 1 if a committed artifact differs
# Works from any cwd. Writes only inside contracts/ (plus a temp dir it removes). FORGE=... overrides forge.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"   # foundry.toml's solc = "./solc-shim" is resolved against the cwd
FORGE="${FORGE:-$DIR/../tools/devnet/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}"
[ -x "$FORGE" ] || { echo "build.sh: forge not found at $FORGE (run npm install in tools/devnet)" >&2; exit 2; }
command -v node >/dev/null || { echo "build.sh: node is required (solc-shim runs npm solc)" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# forge writes a signature cache under $HOME/.foundry; keep it in the temp dir instead.
export HOME="$TMP/home"
mkdir -p "$HOME"

ARTIFACTS="$DIR/artifacts"
case "${1:-}" in
  "")
    "$FORGE" build --root "$DIR" --skip test --skip script
    node "$DIR/scripts/extract-artifacts.cjs" "$DIR/out" "$ARTIFACTS"
    echo "build.sh: wrote $(cd "$ARTIFACTS" && ls *.json | tr '\n' ' ')"
    ;;
  --check)
    "$FORGE" build --root "$DIR" --skip test --skip script --force \
      --out "$TMP/out" --cache-path "$TMP/cache" >"$TMP/forge.log" 2>&1 \
      || { cat "$TMP/forge.log" >&2; echo "build.sh --check: compile failed" >&2; exit 1; }
    node "$DIR/scripts/extract-artifacts.cjs" "$TMP/out" "$TMP/artifacts"
    status=0
    for fresh in "$TMP"/artifacts/*.json; do
      name="$(basename "$fresh")"
      committed="$ARTIFACTS/$name"
      if [ ! -f "$committed" ]; then
        echo "build.sh --check: MISSING contracts/artifacts/$name" >&2; status=1; continue
      fi
      if ! cmp -s "$fresh" "$committed"; then
        status=1
        # Say which fields differ (abi/bytecode/deployedBytecode matter most).
        fields="$(node -e '
          const fs=require("fs"); let a,b;
          try { a=JSON.parse(fs.readFileSync(process.argv[1])); b=JSON.parse(fs.readFileSync(process.argv[2])); }
          catch (e) { console.log("(committed file is not valid JSON)"); process.exit(0); }
          const ks=[...new Set([...Object.keys(a),...Object.keys(b)])];
          const d=ks.filter(k=>JSON.stringify(a[k])!==JSON.stringify(b[k]));
          console.log(d.length ? d.join(", ") : "formatting only");' "$fresh" "$committed")"
        echo "build.sh --check: contracts/artifacts/$name is STALE (differs in: $fields). Run: bash contracts/build.sh" >&2
      fi
    done
    for committed in "$ARTIFACTS"/*.json; do
      [ -f "$TMP/artifacts/$(basename "$committed")" ] || { echo "build.sh --check: unexpected contracts/artifacts/$(basename "$committed")" >&2; status=1; }
    done
    [ "$status" = 0 ] && echo "build.sh --check: artifacts up to date"
    exit "$status"
    ;;
  *) echo "usage: build.sh [--check]" >&2; exit 2 ;;
esac
