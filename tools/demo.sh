#!/usr/bin/env bash
# The README's first command: builds and runs usd1rec-demo — two local anvils and the local Solana devnet, the token
# on each, a custodian feed, steady traffic and the daemon (usd1rec run's host, in-process) with a live summary
# (src/Usd1Reconciler.Demo/, devnets from src/Usd1Reconciler.Devnet/). The daemon's own executable, usd1rec, holds
# none of this: it never sends a transaction.
# Arguments go to the demo, e.g. `bash tools/demo.sh --duration 00:02:00 --incident oversized-mint`.
# The demo installs the pinned devnet tools (npm, tools/devnet) itself when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "building usd1rec-demo (Release)…"
dotnet build src/Usd1Reconciler.Demo -c Release --nologo -v quiet -clp:ErrorsOnly
# exec: Ctrl-C and SIGTERM reach the demo itself, which stops everything it started.
exec dotnet src/Usd1Reconciler.Demo/bin/Release/net10.0/usd1rec-demo.dll "$@"
