#!/usr/bin/env bash
# Seeds the fuzz corpus with real frames: the worked vectors and a few control-byte mixes.
set -euo pipefail
dir=${1:?corpus folder}
mkdir -p "$dir"
printf '\x02A00\x1c1.28\x03\x4b' > "$dir/a00"
printf '\x06\x02A00\x1c1.28\x03\x4b\x04' > "$dir/ack-a00-eot"
printf '\x02T00\x1c1.28\x1c01\x1c1234\x1c\x1c1001\x1fINV42\x1c\x1c\x1c\x1c\x1cTOKENREQUEST=1\x03\x09' > "$dir/t00"
printf 'garbage\x02\x02A00\x1c1.28\x03\x4b\x15' > "$dir/noise"
