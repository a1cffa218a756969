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
"$bin/posplus-sim" jobber --port 0 --client-id demo-client --client-secret demo-secret --with-payment-history > "$work/jobber" &
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
echo
echo "\$ posplus charge --serial $pty --invoice 1044 --operator ada   # Jobber check, ledger, terminal, Jobber note"
"$bin/posplus" charge --serial "$pty" --invoice 1044 --operator ada --key demo-1044

# Part three: a technician sends a payment link. posplus checks invoice #1043 in Jobber, creates
# the link at (simulated) Stripe, emails it through a real SMTP server; the customer pays; Stripe's
# signed webhook reaches `posplus serve`, which marks the link paid in the ledger.
echo
echo "---- Payment link by email (Stripe) ----"
mkfifo "$work/stripe" "$work/smtp" "$work/serve"
mkdir -p "$work/mail"
"$bin/posplus-sim" stripe --port 0 > "$work/stripe" &
stripe=$!
python3 scripts/smtp-sink.py "$work/mail" > "$work/smtp" 2>/dev/null &
smtp=$!
trap 'kill "$sim" "$jobber" "${connect:-}" "$stripe" "$smtp" "${serve:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
exec 6< "$work/stripe" 7< "$work/smtp"
read -r -t 30 line <&6 || { echo "the Stripe simulator did not start" >&2; exit 1; }
stripe_url=${line#stripe }
read -r -t 30 _ready <&6
read -r -t 30 line <&7 || { echo "the SMTP server did not start (make deps installs aiosmtpd)" >&2; exit 1; }
export POSPLUS_BUSINESS_NAME="Maple & Pine" POSPLUS_STRIPE_BASE_URL="$stripe_url" POSPLUS_STRIPE_SECRET_KEY=sk_test_demo
export POSPLUS_STRIPE_WEBHOOK_SECRET=whsec_posplus_simulator POSPLUS_SMTP_URL="smtp://${line#smtp }"
export POSPLUS_SMTP_FROM=billing@maplepine.example POSPLUS_SMTP_REQUIRE_TLS=false
"$bin/posplus" serve --port 0 > "$work/serve" 2>/dev/null &
serve=$!
exec 8< "$work/serve"
read -r -t 30 line <&8 || { echo "posplus serve did not start" >&2; exit 1; }
serve_url=${line#posplus serving on }
post() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST")).read()' "$1" "$2"; }
post "$stripe_url/_sim/webhooks" "url=$serve_url/webhooks/stripe"
echo "Simulated Stripe at $stripe_url; posplus serve at $serve_url"
echo
echo "\$ posplus link send --invoice 1043 --email ada@example.com"
sent=$("$bin/posplus" link send --invoice 1043 --email ada@example.com)
echo "$sent"
echo
echo "The email Ada receives:"
sed -e '1,/^\r\{0,1\}$/d' "$work/mail/0001.eml" | sed 's/^/  | /'
link_url=$(echo "$sent" | grep -o 'http://[^ ]*/pay/plink_[a-z0-9]*' | head -1)
echo
echo "Ada pays the link with a card..."
post "$stripe_url/_sim/payment_links/${link_url##*/}/pay" "card=4242424242424242"
for _ in $(seq 1 50); do
  "$bin/posplus" link show 1 | grep -q -- '— paid' && break
  sleep 0.1
done
echo
echo "\$ posplus link show 1"
"$bin/posplus" link show 1
echo
echo "posplus serve's outbox pins the payment's note on the Jobber invoice (it runs every 5 s):"
python3 - "$url/_admin/invoices/1043/notes" <<'PY'
import json, sys, time, urllib.request
for _ in range(100):
    notes = json.load(urllib.request.urlopen(sys.argv[1]))["notes"]
    ours = [n["message"] for n in notes if "[posplus " in n["message"]]
    if ours:
        print("  Jobber invoice #1043 note: " + ours[0])
        break
    time.sleep(0.2)
else:
    sys.exit("no posplus note appeared on invoice #1043 in Jobber")
PY

# Part four: the office reconciles. Someone refunds $5.00 of Ada's payment in Stripe's own
# dashboard, outside posplus; reconcile reads the ledger, Stripe, the terminal's open batch and
# Jobber, finds that refund, and with --apply records it through the payment path (the refund
# ceiling falls, a Jobber note is queued). The run after that has nothing left to review.
echo
echo "---- The office reconciles ----"
python3 - "$stripe_url" <<'PY'
import json, sys, urllib.parse, urllib.request
base, auth = sys.argv[1], {"Authorization": "Bearer sk_test_demo"}
intents = json.load(urllib.request.urlopen(urllib.request.Request(base + "/v1/payment_intents?limit=1", headers=auth)))["data"]
body = urllib.parse.urlencode({"payment_intent": intents[0]["id"], "amount": "500"}).encode()
urllib.request.urlopen(urllib.request.Request(base + "/v1/refunds", data=body, headers=auth, method="POST")).read()
print("Someone refunds $5.00 of Ada's payment in Stripe's dashboard, not through posplus.")
PY
echo
echo "\$ posplus reconcile"
status=0
"$bin/posplus" reconcile || status=$?
[ "$status" = 1 ] || { echo "reconcile should have found the refund made outside posplus (exit $status)" >&2; exit 1; }
echo "(exit 1: a difference is left to review)"
echo
echo "\$ posplus reconcile --apply --operator dana"
"$bin/posplus" reconcile --apply --operator dana | grep -E '^(Applied|Stored)'
echo
echo "\$ posplus reconcile"
"$bin/posplus" reconcile | tail -n 3
echo "(exit 0: nothing left to review)"

# Part five: getting paid. The office turns on receipts, failed-payment recovery, risk holds and
# payment plans (each off until set; `auto` here, `suggest` waits for a person at every step)
# and restarts serve with them. Texts go to a stand-in for Twilio that keeps them in a folder.
echo
echo "---- Getting paid ----"
kill "$serve" 2>/dev/null || true
wait "$serve" 2>/dev/null || true
mkfifo "$work/sms" "$work/serve2"
mkdir -p "$work/texts"
python3 scripts/sms-sink.py "$work/texts" > "$work/sms" &
sms=$!
trap 'kill "$sim" "$jobber" "${connect:-}" "$stripe" "$smtp" "${serve:-}" "$sms" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
exec 9< "$work/sms"
read -r -t 30 line <&9 || { echo "the SMS stand-in did not start" >&2; exit 1; }
export POSPLUS_SMS_BASE_URL=${line#sms } POSPLUS_SMS_ACCOUNT_SID=ACdemo POSPLUS_SMS_AUTH_TOKEN=demo POSPLUS_SMS_FROM=+15555550100
export POSPLUS_RECEIPTS_MODE=auto POSPLUS_DECLINES_MODE=auto POSPLUS_RISK_MODE=auto
# Hold at 30 points: a keyed sale over the keyed limit waits for a manager on its own. (Katherine
# has paid four invoices in Jobber, so risk does not count her as a new client.)
export POSPLUS_RISK_HOLD_AT=30
# Steps go out at any hour here: with the default 09:00-18:00 window, a demo run in the evening
# would wait for the morning.
export POSPLUS_DECLINES_RETRY_WINDOW=00:00-23:59
export POSPLUS_PLANS_MODE=auto POSPLUS_PLANS_APPROVE_OVER=1000.00
"$bin/posplus" serve --port 0 > "$work/serve2" 2>/dev/null &
serve=$!
exec 8< "$work/serve2"
read -r -t 30 line <&8 || { echo "posplus serve did not start again" >&2; exit 1; }
serve_url=${line#posplus serving on }
post "$stripe_url/_sim/webhooks" "url=$serve_url/webhooks/stripe"
printf 'correct horse\n' | "$bin/posplus" staff add meg --role manager --password-stdin --operator owner > /dev/null
# Waits (up to 15 s) for `posplus ARGS` to print a line matching PATTERN: serve's outbox runs every 5 s.
await() { local pattern=$1; shift; for _ in $(seq 1 150); do "$bin/posplus" "$@" 2>/dev/null | grep -q -- "$pattern" && return 0; sleep 0.1; done; echo "timed out waiting for: posplus $* | $pattern" >&2; exit 1; }

echo
echo "\$ posplus receipt show 1   # the thermostat sale at the counter, itemized from Jobber"
"$bin/posplus" receipt show 1

echo
echo "\$ posplus charge --serial $pty --invoice 1060 --amount 20.01 --partial --operator fred   # Bletchley Bakery"
"$bin/posplus" charge --serial "$pty" --invoice 1060 --amount 20.01 --partial --operator fred --key demo-1060
echo "serve's outbox starts the recovery at once: the bakery has no phone that takes texts, so the link goes by email."
await "done" declines show 1
echo
echo "\$ posplus declines show 1"
"$bin/posplus" declines show 1
link=""
for _ in $(seq 1 150); do
  link=$(grep -l "Invoice #1060" "$work/mail"/*.eml 2>/dev/null | head -1) && [ -n "$link" ] && break
  sleep 0.1
done
[ -n "$link" ] || { echo "no email for invoice #1060 arrived" >&2; exit 1; }
link=$(basename "$link")
echo
echo "The email the bakery receives:"
sed -e '1,/^\r\{0,1\}$/d' "$work/mail/$link" | sed 's/^/  | /'
recovery_link=$(sed -e '1,/^\r\{0,1\}$/d' "$work/mail/$link" | grep -o 'http://[^ ]*/pay/plink_[a-z0-9]*' | head -1)
echo
echo "The bakery pays the link; the recovery sees the declined part paid and stops: nothing more is sent."
post "$stripe_url/_sim/payment_links/${recovery_link##*/}/pay" "card=4242424242424242"
await "Ended:" declines show 1
"$bin/posplus" declines show 1 | tail -n 1

echo
echo "\$ posplus charge --serial $pty --invoice 1070 --keyed --operator fred   # Katherine Johnson, \$1,800.00 keyed by hand"
status=0
"$bin/posplus" charge --serial "$pty" --invoice 1070 --keyed --operator fred --key demo-1070-keyed || status=$?
echo "(exit $status: held for a manager; the terminal was not asked)"
echo
echo "\$ posplus approvals list"
"$bin/posplus" approvals list
held=$("$bin/posplus" approvals list | grep -o '^#[0-9]*' | head -1 | tr -d '#')
echo
echo "\$ posplus approvals deny $held --operator meg --note \"call her about a payment plan instead\""
"$bin/posplus" approvals deny "$held" --operator meg --note "call her about a payment plan instead"

echo
echo "\$ posplus plan propose 1070"
"$bin/posplus" plan propose 1070
echo
echo "\$ posplus plan accept 1070 --option 2 --email katherine@example.com --operator fred"
"$bin/posplus" plan accept 1070 --option 2 --email katherine@example.com --operator fred
plan_approval=$("$bin/posplus" approvals list | grep -o '^#[0-9]*' | head -1 | tr -d '#')
echo
echo "\$ posplus approvals approve $plan_approval --operator meg"
"$bin/posplus" approvals approve "$plan_approval" --operator meg
await "linkSent\\|link sent" plan show "#1070"
echo
echo "\$ posplus plan show #1070   # the first instalment's link went out by email; the rest wait for their dates"
"$bin/posplus" plan show "#1070"

echo
echo "\$ posplus forecast --days 30,60,90 --svg cash-flow.svg --png cash-flow.png"
"$bin/posplus" forecast --days 30,60,90 --svg "$work/cash-flow.svg" --png "$work/cash-flow.png"
mkdir -p .build
cp "$work/cash-flow.svg" .build/demo-cash-flow.svg
cp "$work/cash-flow.png" .build/demo-cash-flow.png
echo "(the chart: .build/demo-cash-flow.svg and .png; the console's Cash flow page draws the same)"
