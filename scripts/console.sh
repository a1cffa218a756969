#!/usr/bin/env bash
# make console: the front-desk console on simulators, to click through in a minute. Starts a
# simulated PAX terminal (TCP), Jobber (connected through its OAuth page) and Stripe, seeds three
# demo logins, and runs `posplus serve` until Ctrl-C, printing the URL. Nothing real is charged
# and nothing leaves 127.0.0.1. CONSOLE_PORT picks serve's port (default 8420); CONSOLE_CHECK=1
# logs in once through the API and stops, as the test does.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# Starts a simulator; its first line ("<kind> <address>") is read from a fifo on descriptor $2.
start() {
  local name=$1 fd=$2; shift 2
  mkfifo "$work/$name"
  "$@" > "$work/$name" &
  pids+=($!)
  eval "exec $fd< \"$work/$name\""
}

start terminal 3 "$bin/posplus-sim" terminal --tcp 0 --delay-ms 1500
read -r -t 30 line <&3 || { echo "the terminal simulator did not start" >&2; exit 1; }
terminal=${line#tcp }
start jobber 4 "$bin/posplus-sim" jobber --port 0 --client-id demo-client --client-secret demo-secret
read -r -t 30 line <&4 || { echo "the Jobber simulator did not start" >&2; exit 1; }
jobber=${line#jobber }
start stripe 5 "$bin/posplus-sim" stripe --port 0
read -r -t 30 line <&5 || { echo "the Stripe simulator did not start" >&2; exit 1; }
stripe=${line#stripe }

cat > "$work/posplus.toml" <<TOML
[business]
name = "Maple & Pine Home Services"

[ledger]
path = "$work/ledger.sqlite"

[jobber]
endpoint = "$jobber/api/graphql"
token_url = "$jobber/api/oauth/token"
authorize_url = "$jobber/api/oauth/authorize"
client_id = "demo-client"
client_secret = "demo-secret"

[stripe]
base_url = "$stripe"
secret_key = "sk_test_console"
webhook_secret = "whsec_posplus_simulator"

[staff]
bcrypt_cost = 10

[approvals]
refund_over = "100.00"
link_over = "1000.00"

[terminals.front-desk]
driver = "pax"
connection = "tcp"
host = "${terminal%:*}"
port = ${terminal##*:}
TOML
export XDG_CONFIG_HOME="$work/config" POSPLUS_JOBBER_REDIRECT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
posplus() { "$bin/posplus" "$@" --config "$work/posplus.toml"; }

# Jobber's sign-in: the simulator's approval page answers at once, as a person clicking "Allow".
start connect 6 "$bin/posplus" jobber connect --timeout-s 30 --config "$work/posplus.toml"
authorize=""
while read -r -t 30 text <&6; do case "$text" in http*) authorize=$text; break ;; esac; done
[ -n "$authorize" ] || { echo "posplus jobber connect printed no sign-in page" >&2; exit 1; }
python3 - "$authorize" <<'PY'
import sys, urllib.request
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs): return None
try:
    urllib.request.build_opener(NoRedirect).open(sys.argv[1])
except urllib.error.HTTPError as approval:
    urllib.request.urlopen(approval.headers["Location"]).read()
PY
while read -r -t 30 _ <&6; do :; done

echo "counter demo" | posplus staff add desk --role front-desk --password-stdin --operator console > /dev/null
echo "manager demo" | posplus staff add boss --role manager --password-stdin --operator console > /dev/null
echo "field demo" | posplus staff add tech --role technician --password-stdin --operator console > /dev/null

start serve 7 "$bin/posplus" serve --port "${CONSOLE_PORT:-8420}" --config "$work/posplus.toml"
read -r -t 30 line <&7 || { echo "posplus serve did not start" >&2; exit 1; }
url=${line#posplus serving on }
python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST")).read()' \
  "$stripe/_sim/webhooks" "url=$url/webhooks/stripe"

cat <<TEXT

  The posplus console, on simulators:  $url/

  Front desk:  desk / counter demo      Manager:  boss / manager demo
  Technician:  tech / field demo (the payment-links page; try a phone-sized window)

  Try invoice 1043 (\$1,234.56) on terminal front-desk. The terminal takes 1.5 s to answer;
  \$20.01 declines. A refund over \$100.00, or a link over \$1,000.00, waits for the manager:
  log in as boss in a private window to approve it. No SMS or mail service is set up, so link
  messages wait in the outbox. Ctrl-C stops everything; nothing is kept.

TEXT
if [ "${CONSOLE_CHECK:-}" = 1 ]; then
  python3 - "$url" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/api/session", data=json.dumps({"name": "desk", "password": "counter demo"}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
me = json.load(urllib.request.urlopen(request))
page = urllib.request.urlopen(sys.argv[1] + "/").read().decode()
assert me["role"] == "front-desk" and "<form" in page, (me, page[:200])
print("console check: logged in as desk (front-desk); the page is served")
PY
  exit 0
fi
wait "${pids[-1]}"
