#!/usr/bin/env bash
# make demo: a simulated PAX terminal on a pty, and six transactions through the real driver
# (termios serial port, POSLink framing, ACK/NAK/EOT), printed as front-desk staff would read them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
mkfifo "$work/sim"
"$bin/posplus-sim" terminal --pty --delay-ms 250 > "$work/sim" &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
exec 3< "$work/sim"
read -r -t 30 first <&3 || { echo "the simulator did not start" >&2; exit 1; }
read -r -t 30 _ready <&3
pty=${first#pty }
echo "Simulated PAX terminal listening on $pty (a real pty in raw mode)"
echo
"$bin/posplus" terminals demo --serial "$pty"
