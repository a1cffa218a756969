#!/usr/bin/env bash
# Seeds a fuzz corpus with real inputs. KIND picks the target: poslink (default: the worked
# frame vectors and a few control-byte mixes), stripe or jobber (real-shaped webhook headers
# and bodies, including the header that once crashed `serve`).
set -euo pipefail
dir=${1:?corpus folder}
kind=${2:-poslink}
mkdir -p "$dir"
mac=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
case "$kind" in
poslink)
    printf '\x02A00\x1c1.28\x03\x4b' > "$dir/a00"
    printf '\x06\x02A00\x1c1.28\x03\x4b\x04' > "$dir/ack-a00-eot"
    printf '\x02T00\x1c1.28\x1c01\x1c1234\x1c\x1c1001\x1fINV42\x1c\x1c\x1c\x1c\x1cTOKENREQUEST=1\x03\x09' > "$dir/t00"
    printf 'garbage\x02\x02A00\x1c1.28\x03\x4b\x15' > "$dir/noise"
    ;;
stripe)
    # 8 bytes of now (1795000100), 8 of tolerance (300), header, newline, body.
    prefix='\x00\x00\x00\x00\x6a\xfd\x87\x24\x00\x00\x00\x00\x00\x00\x01\x2c'
    body='{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1795000000,"data":{"object":{"id":"pi_1"}}}'
    printf "${prefix}t=1795000000,v1=${mac}\n${body}" > "$dir/event"
    printf "${prefix}t=1795000000, v1=${mac},v0=ab,v1=${mac}\n${body}" > "$dir/rotation"
    printf "${prefix}t=-9223372036854775808,v1=${mac}\n${body}" > "$dir/int-min"
    printf "${prefix}t=99999999999999999999,v1=${mac}\n{}" > "$dir/huge"
    ;;
jobber)
    body='{"data":{"webHookEvent":{"topic":"INVOICE_UPDATE","appId":"app-1","accountId":"QWNjb3VudC8x","itemId":"SW52b2ljZS8xMDQy","occurredAt":"2026-11-22T10:00:00-05:00"}}}'
    printf "ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=\n${body}" > "$dir/event"
    printf " AAAA\n{\"data\":{}}" > "$dir/short-mac"
    ;;
*)
    echo "unknown corpus kind: $kind" >&2
    exit 2
    ;;
esac
