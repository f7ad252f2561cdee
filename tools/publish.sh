#!/usr/bin/env bash
# Self-contained linux-x64 build of usd1rec: no .NET runtime needed on the target machine.
#   bash tools/publish.sh            -> artifacts/publish/linux-x64/usd1rec (+ libe_sqlite3.so beside it)
# The managed code and the runtime are one file; SQLite's native library stays a separate file next to it rather
# than being bundled, because a bundled native library is extracted at run time into a writable home directory,
# which the hardened systemd unit (DynamicUser, ProtectSystem=strict) and the read-only container do not have.
# Copy the whole folder. Ends by running the binary's --help, so a publish that cannot start fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/publish/linux-x64
rm -rf "$out"
dotnet publish src/Usd1Reconciler/Usd1Reconciler.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:DebugType=none --nologo -v quiet -clp:ErrorsOnly -o "$out"
# Documentation XML files are for IDEs, not for the server.
rm -f "$out"/*.xml
"$out/usd1rec" --help > /dev/null
echo "published $out/usd1rec ($(du -h "$out/usd1rec" | cut -f1)); files: $(cd "$out" && echo *)"
