#!/usr/bin/env bash
# MiniStack (PyPI ministack, a local AWS emulator) for ff's AppConfig integration tests.
#
#   scripts/ministack.sh start   install it in a venv if needed, start it on a free loopback
#                                port, wait until it answers, print `export FF_MINISTACK_ENDPOINT=...`
#   scripts/ministack.sh stop    stop the instance that `start` started
#   scripts/ministack.sh reset   clear its state (POST /_ministack/reset)
#   scripts/ministack.sh status  print the endpoint and exit 0 when it is running
#
# Environment:
#   FF_MINISTACK_VENV   the venv (default: $XDG_CACHE_HOME/ff/ministack-$VERSION, i.e.
#                       ~/.cache/ff/ministack-$VERSION); reused when it already has MiniStack
#   FF_MINISTACK_STATE  where the pid, port, endpoint and log are kept
#                       (default: ${TMPDIR:-/tmp}/ff-ministack-$UID)
#   PYTHON              the Python used to create the venv (default: python3)
#
# The endpoint is also written to $FF_MINISTACK_STATE/endpoint.
set -euo pipefail

VERSION=1.5.33
VENV="${FF_MINISTACK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ff/ministack-$VERSION}"
STATE="${FF_MINISTACK_STATE:-${TMPDIR:-/tmp}/ff-ministack-$(id -u)}"
PYTHON="${PYTHON:-python3}"

say() { echo "ministack: $*" >&2; }

running() {
    [[ -f "$STATE/pid" ]] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null
}

http() { # http METHOD URL -> exit 0 when it answers 2xx
    "$VENV/bin/python" - "$1" "$2" <<'EOF'
import sys, urllib.request
request = urllib.request.Request(sys.argv[2], method=sys.argv[1], data=b"" if sys.argv[1] == "POST" else None)
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        sys.exit(0 if 200 <= response.status < 300 else 1)
except Exception:
    sys.exit(1)
EOF
}

install() {
    if [[ -x "$VENV/bin/ministack" ]] && "$VENV/bin/python" -c "import importlib.metadata as m; assert m.version('ministack') == '$VERSION'" 2>/dev/null; then
        return
    fi
    say "installing ministack==$VERSION into $VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ministack==$VERSION"
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    install
    mkdir -p "$STATE"
    if running; then
        say "already running at $(cat "$STATE/endpoint") (pid $(cat "$STATE/pid"))"
        echo "export FF_MINISTACK_ENDPOINT=$(cat "$STATE/endpoint")"
        return
    fi
    local port endpoint pid
    for _ in 1 2 3; do
        port="$(free_port)"
        endpoint="http://127.0.0.1:$port"
        # Only the services the tests use; persistence off; logs to the state folder.
        GATEWAY_PORT="$port" BIND_HOST=127.0.0.1 SERVICES=appconfig,appconfigdata,sts LOG_LEVEL=WARNING \
            nohup "$VENV/bin/ministack" >"$STATE/log" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$STATE/pid"
        echo "$port" >"$STATE/port"
        echo "$endpoint" >"$STATE/endpoint"
        for _ in $(seq 1 150); do
            if http GET "$endpoint/_ministack/health"; then
                say "running at $endpoint (pid $pid)"
                echo "export FF_MINISTACK_ENDPOINT=$endpoint"
                return
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        say "did not come up on port $port; log:"
        tail -n 20 "$STATE/log" >&2 || true
        kill "$pid" 2>/dev/null || true
        rm -f "$STATE/pid"
    done
    say "could not start"
    exit 1
}

stop() {
    if running; then
        local pid
        pid="$(cat "$STATE/pid")"
        kill "$pid"
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        say "stopped (pid $pid)"
    fi
    rm -f "$STATE/pid" "$STATE/port" "$STATE/endpoint"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    reset)
        running || { say "not running"; exit 1; }
        http POST "$(cat "$STATE/endpoint")/_ministack/reset"
        ;;
    status)
        running || { say "not running"; exit 1; }
        echo "export FF_MINISTACK_ENDPOINT=$(cat "$STATE/endpoint")"
        ;;
    *)
        echo "usage: $0 start|stop|reset|status" >&2
        exit 2
        ;;
esac
