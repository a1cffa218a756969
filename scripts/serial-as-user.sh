#!/usr/bin/env bash
# Opens one simulated serial terminal twice in a row through the real binaries, as an
# unprivileged user. Root ignores TIOCEXCL, so a port left exclusive after the first program
# closed it (the second then fails with "Device or resource busy") only shows up for a normal
# user; CI runs as root, hence the switch to `nobody` when run as root.
#
# The binaries and the Swift runtime libraries they load are copied to a temporary folder the
# unprivileged user can read (the checkout and the toolchain may sit under /root).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
sim=""
trap 'if [ -n "$sim" ]; then kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
mkdir -p "$work/lib" "$work/home"
cp "$bin/posplus" "$bin/posplus-sim" "$work/"
# Every library not from the system folders (the toolchain's libswiftCore, libFoundation, …).
ldd "$bin/posplus" "$bin/posplus-sim" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u \
  | grep -Ev '^/(usr/)?lib(64)?/' | xargs -r cp -L -t "$work/lib"
chmod -R a+rX "$work"
as_user=()
if [ "$(id -u)" = 0 ]; then
  chown 65534:65534 "$work/home"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# env, then setpriv, then the program, each exec'ing the next: one process id to stop.
run=(env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
  LD_LIBRARY_PATH="$work/lib" "${as_user[@]}")
echo "as user $("${run[@]}" id -un 2>/dev/null || "${run[@]}" id -u)"
mkfifo "$work/sim"
"${run[@]}" "$work/posplus-sim" terminal --pty > "$work/sim" &
sim=$!
exec 3< "$work/sim"
read -r -t 30 first <&3 || { echo "the simulator did not start" >&2; exit 1; }
read -r -t 30 _ready <&3
pty=${first#pty }
# The reported sequence: the demo's six flows, then another program on the same port.
echo "open 1: posplus terminals demo --serial $pty"
"${run[@]}" "$work/posplus" terminals demo --serial "$pty" > "$work/demo.out" || { cat "$work/demo.out"; exit 1; }
grep -q "APPROVED" "$work/demo.out" || { cat "$work/demo.out"; echo "the demo approved nothing" >&2; exit 1; }
echo "open 2: posplus terminals ping --serial $pty"
"${run[@]}" "$work/posplus" terminals ping --serial "$pty"
