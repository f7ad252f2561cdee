#!/bin/sh
# One-shot seeding of the compose stack's anvil (runs in the foundry image, which has sh and cast but no jq):
# deploys the USD1 token from contracts/artifacts as anvil's first account (its first contract lands at the
# deterministic address the daemon's config names), mints and burns a little, and writes a proof-of-reserve
# document for the daemon's file feed. Idempotent: a second run finds the token and only refreshes the document.
set -eu
rpc=http://127.0.0.1:8545
deployer=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266   # anvil's well-known first account (unlocked, test only)
alice=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
token=0x5FbDB2315678afecb367f032d93F642f64180aa3

i=0
until cast chain-id --rpc-url "$rpc" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 120 ] || { echo "anvil did not answer at $rpc"; exit 1; }; sleep 0.5
done

if [ "$(cast code --rpc-url "$rpc" "$token")" = "0x" ]; then
  bytecode=$(tr -d '\n ' < /seed/artifacts/Usd1Token.json | sed -n 's/.*"bytecode":"\(0x[0-9a-fA-F]*\)".*/\1/p')
  [ -n "$bytecode" ] || { echo "no bytecode in /seed/artifacts/Usd1Token.json"; exit 1; }
  args=$(cast abi-encode "f(address)" "$deployer")
  cast send --rpc-url "$rpc" --unlocked --from "$deployer" --create "${bytecode}${args#0x}" >/dev/null
  cast send --rpc-url "$rpc" --unlocked --from "$deployer" "$token" "mint(address,uint256)" "$alice" 5000000000000 >/dev/null
  cast send --rpc-url "$rpc" --unlocked --from "$deployer" "$token" "mint(address,uint256)" "$deployer" 250000000000 >/dev/null
  cast send --rpc-url "$rpc" --unlocked --from "$deployer" "$token" "burn(uint256)" 100000000000 >/dev/null
  echo "USD1 token deployed at $token; 2 mints, 1 burn"
fi

# 5,150,000 USD1 outstanding; reserves of 5,300,000 USD cover them with a buffer.
printf '{"totalReserve":"5300000.00","timestamp":%s,"ripcord":false}\n' "$(date +%s)" > /feeds/proof-of-reserve.json.tmp
mv /feeds/proof-of-reserve.json.tmp /feeds/proof-of-reserve.json
echo "proof-of-reserve document written"
