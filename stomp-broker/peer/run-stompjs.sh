#!/bin/sh
# Runs the stompjs project's own spec suite against the stomp-broker CLI: its Node.js runner
# (jasmine over `ws`) and its browser runner (karma in headless Chromium). Both expect a broker at
# ws://localhost:15674/ws (RabbitMQ Web-STOMP's address) granting guest/guest.
#
#   git clone https://github.com/stomp-js/stompjs /tmp/stompjs   # a throwaway checkout
#   npm run build                                                 # at the repository root
#   stomp-broker/peer/run-stompjs.sh /tmp/stompjs [node|browser|both]
#
# MAX_FRAME_SIZE (default 1048576 = 1 MiB) is passed as --max-frame-size; CHROME_BIN defaults to
# Debian's chromium. The first run installs the runners into the checkout (its package.json loses
# its devDependencies, which include a Safari launcher fetched from GitHub).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 STOMPJS_DIR [node|browser|both]" >&2; exit 2; }
STOMPJS_DIR=$(cd "$1" && pwd)
MODE=${2:-both}
HERE=$(cd "$(dirname "$0")" && pwd)
CLI="$HERE/../bin/stomp-broker.js"
MAX_FRAME_SIZE=${MAX_FRAME_SIZE:-1048576}
export STOMPJS_DIR CHROME_BIN="${CHROME_BIN:-$(command -v chromium || true)}"

cd "$STOMPJS_DIR"
if [ ! -d node_modules/jasmine ] || [ ! -d node_modules/karma-chrome-launcher ]; then
  npm pkg delete devDependencies
  npm install --no-audit --no-fund --no-save jasmine@^5.6.0 ws@^8.18.1 karma@^6.4.4 \
    karma-jasmine@^5.1.0 karma-chrome-launcher@^3.2.0
fi

WORK=$(mktemp -d)
echo guest | node "$CLI" passwd --users "$WORK/users.json" guest
node "$CLI" --port 15674 --users "$WORK/users.json" --max-frame-size "$MAX_FRAME_SIZE" \
  >"$WORK/broker.log" 2>&1 &
BROKER=$!
trap 'kill $BROKER 2>/dev/null; wait $BROKER 2>/dev/null; rm -rf "$WORK"' EXIT
i=0
until grep -q 'listening on' "$WORK/broker.log"; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 $BROKER 2>/dev/null; then cat "$WORK/broker.log" >&2; exit 1; fi
  sleep 0.1
done
cat "$WORK/broker.log"

status=0
if [ "$MODE" = node ] || [ "$MODE" = both ]; then
  echo "== stompjs specs on Node.js (jasmine) =="
  start=$(date +%s)
  npx jasmine >"$WORK/jasmine.log" 2>&1 || status=1
  grep -v '^CLIENT \|^Eating ' "$WORK/jasmine.log" | grep -A12 '^Failures:\|^[0-9]*) ' || true
  grep -E 'specs?, [0-9]+ failures?|pending|Randomized' "$WORK/jasmine.log"
  echo "jasmine: $(($(date +%s) - start)) s"
fi
if [ "$MODE" = browser ] || [ "$MODE" = both ]; then
  echo "== stompjs specs in headless Chromium (karma) =="
  start=$(date +%s)
  npx karma start "$HERE/karma.stompjs.cjs" >"$WORK/karma.log" 2>&1 || status=1
  grep -a 'FAILED\|Executed [0-9]* of [0-9]*.*secs /' "$WORK/karma.log" | tail -5
  echo "karma: $(($(date +%s) - start)) s"
fi
echo "== broker log =="
grep -v 'listening on\|users file\|bodies up to' "$WORK/broker.log" | sort | uniq -c | sort -rn | head -20
exit $status
