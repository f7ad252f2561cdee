#!/usr/bin/env bash
# One-command demo of the daemon's main job on local devnets, with the embedded SQLite default:
#   starts anvil and the local Solana devnet on free loopback ports, deploys the USD1 token and creates an SPL mint,
#   mints, burns and transfers on both, runs `usd1rec index --once`, then prints `usd1rec supply` (table and JSON).
# Everything it starts is stopped on exit; its files live in .demo/ (the store stays there to inspect).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
demo="$repo/.demo"
bin="$repo/tools/devnet/node_modules/@foundry-rs"
rm -rf "$demo" && mkdir -p "$demo/anvil-cache"

if [ ! -x "$bin/anvil-linux-amd64/bin/anvil" ] || [ ! -d "$repo/tools/devnet/node_modules/litesvm" ]; then
  echo "installing pinned devnet tools (tools/devnet)…"
  (cd tools/devnet && (npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error))
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$demo/anvil-cache"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

anvil_port=$(free_port)
"$bin/anvil-linux-amd64/bin/anvil" --host 127.0.0.1 --port "$anvil_port" --chain-id 31337 --cache-path "$demo/anvil-cache" --silent &
pids+=($!)
evm="http://127.0.0.1:$anvil_port"

node tools/devnet/solana/server.mjs --port 0 --finality-lag 32 --slot-interval-ms 400 > "$demo/solana.ready" &
pids+=($!)
for _ in $(seq 1 100); do grep -q ready "$demo/solana.ready" 2>/dev/null && break; sleep 0.1; done
sol=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).rpcUrl)' "$demo/solana.ready")

cast="$bin/cast-linux-amd64/bin/cast"
for _ in $(seq 1 100); do "$cast" chain-id --rpc-url "$evm" >/dev/null 2>&1 && break; sleep 0.1; done
deployer=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
alice=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
echo "EVM devnet (anvil) at $evm; Solana devnet at $sol"

bytecode=$(node -e 'console.log(require(process.argv[1]).bytecode)' "$repo/contracts/artifacts/Usd1Token.json")
args=$("$cast" abi-encode "f(address)" "$deployer")
token=$("$cast" send --rpc-url "$evm" --unlocked --from "$deployer" --create "${bytecode}${args#0x}" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).contractAddress))')
send() { "$cast" send --rpc-url "$evm" --unlocked --from "$1" "$token" "${@:2}" >/dev/null; }
send "$deployer" "mint(address,uint256)" "$alice" 5000000000000      # 5,000,000.000000 USD1 to alice
send "$deployer" "mint(address,uint256)" "$deployer" 250000000000    # 250,000 USD1 to the issuer
send "$deployer" "burn(uint256)" 100000000000                        # issuer redeems 100,000
send "$alice" "transfer(address,uint256)" "$deployer" 1000000        # a transfer: no supply change
"$cast" rpc --rpc-url "$evm" anvil_mine 0x5 >/dev/null
echo "USD1 token deployed at $token; 2 mints, 1 burn, 1 transfer sent"

driver=(node tools/devnet/solana/driver.mjs --rpc "$sol")
mint=$("${driver[@]}" setup --program token --state "$demo/solana.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).mint))')
"${driver[@]}" mint --state "$demo/solana.json" --amount 3000000000000 >/dev/null
"${driver[@]}" mint --state "$demo/solana.json" --amount 1000000 --checked >/dev/null
"${driver[@]}" burn --state "$demo/solana.json" --amount 500000000 --checked >/dev/null
"${driver[@]}" fail --state "$demo/solana.json" >/dev/null
"${driver[@]}" advance 40 >/dev/null
echo "SPL mint $mint created; 2 mints, 1 burn, 1 failed transaction sent; 40 slots advanced so they finalize"

cat > "$demo/config.json" <<JSON
{
  "Storage": { "Path": "usd1rec.db" },
  "Networks": [
    { "Name": "anvil", "Kind": "Evm", "ChainId": 31337, "RpcUrls": ["$evm"], "Token": "$token", "StartBlock": 0, "Confirmations": 2 },
    { "Name": "solana-local", "Kind": "Solana", "RpcUrls": ["$sol"], "Mint": "$mint", "Commitment": "confirmed" }
  ],
  "Logging": { "Level": "Warning" }
}
JSON

echo "building usd1rec…"
dotnet build src/Usd1Reconciler -c Release --nologo -v quiet -clp:ErrorsOnly
usd1rec=(dotnet "$repo/src/Usd1Reconciler/bin/Release/net10.0/usd1rec.dll")
echo
echo "\$ usd1rec index --config .demo/config.json --once"
"${usd1rec[@]}" index --config "$demo/config.json" --once
echo
echo "\$ usd1rec supply --config .demo/config.json"
"${usd1rec[@]}" supply --config "$demo/config.json"
echo
echo "\$ usd1rec supply --config .demo/config.json --json"
"${usd1rec[@]}" supply --config "$demo/config.json" --json
echo
echo "store kept at .demo/usd1rec.db"
