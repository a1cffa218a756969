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

# Part two: Jobber. A simulated Jobber account; posplus signs in through OAuth (the simulator's
# approval page answers at once, as a person clicking "Allow" would), then reads invoices the
# way the front desk does before charging.
echo
echo "---- Jobber ----"
mkfifo "$work/jobber"
"$bin/posplus-sim" jobber --port 0 --client-id demo-client --client-secret demo-secret > "$work/jobber" &
jobber=$!
trap 'kill "$sim" "$jobber" "${connect:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
exec 4< "$work/jobber"
read -r -t 30 line <&4 || { echo "the Jobber simulator did not start" >&2; exit 1; }
url=${line#jobber }
read -r -t 30 _client <&4
read -r -t 30 _ready <&4
echo "Simulated Jobber API at $url"
export POSPLUS_LEDGER_PATH="$work/ledger.sqlite" XDG_CONFIG_HOME="$work/config"
export POSPLUS_JOBBER_ENDPOINT="$url/api/graphql" POSPLUS_JOBBER_TOKEN_URL="$url/api/oauth/token"
export POSPLUS_JOBBER_AUTHORIZE_URL="$url/api/oauth/authorize" POSPLUS_JOBBER_CLIENT_ID=demo-client
export POSPLUS_JOBBER_CLIENT_SECRET=demo-secret POSPLUS_JOBBER_REDIRECT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkfifo "$work/connect"
"$bin/posplus" jobber connect --timeout-s 30 > "$work/connect" &
connect=$!
exec 5< "$work/connect"
authorize=""
while read -r -t 30 text <&5; do
  echo "$text"
  case "$text" in http*) authorize=$text; break ;; esac
done
[ -n "$authorize" ] || { echo "posplus jobber connect printed no sign-in page" >&2; exit 1; }
# The browser's part: open Jobber's page, approve, follow the redirect back to posplus.
python3 - "$authorize" <<'PY'
import sys, urllib.request
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs): return None
opener = urllib.request.build_opener(NoRedirect)
try:
    opener.open(sys.argv[1])
except urllib.error.HTTPError as approval:
    urllib.request.urlopen(approval.headers["Location"]).read()
PY
while read -r -t 30 text <&5; do echo "$text"; done
wait "$connect"
echo
echo "\$ posplus invoice show 1043"
"$bin/posplus" invoice show 1043
echo
echo "\$ posplus invoice list --client Z2lkOi8vSm9iYmVyL0NsaWVudC8x   # Ada Lovelace"
"$bin/posplus" invoice list --client Z2lkOi8vSm9iYmVyL0NsaWVudC8x
echo
echo "\$ posplus quote show Z2lkOi8vSm9iYmVyL1F1b3RlLzc3"
"$bin/posplus" quote show Z2lkOi8vSm9iYmVyL1F1b3RlLzc3
