"""Interop check: stomp.py (an independent STOMP 1.2 client, Python) against a broker over WebSocket.

usage: python stomp_py_interop.py ws://127.0.0.1:PORT/ws

Every step waits for an event (a RECEIPT, a MESSAGE, a marker message sent after the one that
must not arrive) rather than sleeping, with a bounded wait. The last line of stdout is a JSON
object of what was observed; bench/test/stomp-py-interop.test.ts asserts on it. Progress goes to
stderr. Exit code 0 means the script ran to the end, not that the broker behaved.
"""
import json
import sys
import threading
import time
from urllib.parse import urlparse

import stomp

url = urlparse(sys.argv[1])
WAIT = 5.0
results = {"stomp_py": stomp.__version__ if hasattr(stomp, "__version__") else None}


def step(message):
    print(f"[stomp.py] {message}", file=sys.stderr, flush=True)


class Recorder(stomp.ConnectionListener):
    """Keeps every frame the broker sent, and wakes waiters when one arrives."""

    def __init__(self):
        self.cond = threading.Condition()
        self.connected = None
        self.messages = []
        self.receipts = []
        self.errors = []
        self.disconnected = False

    def _add(self, update):
        with self.cond:
            update()
            self.cond.notify_all()

    def on_connected(self, frame):
        self._add(lambda: setattr(self, "connected", frame))

    def on_message(self, frame):
        self._add(lambda: self.messages.append(frame))

    def on_receipt(self, frame):
        self._add(lambda: self.receipts.append(frame.headers["receipt-id"]))

    def on_error(self, frame):
        self._add(lambda: self.errors.append(frame))

    def on_disconnected(self):
        self._add(lambda: setattr(self, "disconnected", True))

    def wait(self, predicate, timeout=WAIT):
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def receipt(self, receipt_id):
        return self.wait(lambda: receipt_id in self.receipts)

    def take(self, subscription):
        """The oldest unread MESSAGE of a subscription, or None after the wait."""
        def first():
            return next((m for m in self.messages if m.headers.get("subscription") == subscription), None)

        with self.cond:
            if not self.cond.wait_for(lambda: first() is not None, WAIT):
                return None
            frame = first()
            self.messages.remove(frame)
            return frame

    def pending(self, subscription):
        with self.cond:
            return [m for m in self.messages if m.headers.get("subscription") == subscription]


def connect(recorder):
    conn = stomp.WSStompConnection(
        [(url.hostname, url.port)],
        ws_path=url.path or "/",
        heartbeats=(0, 0),
        auto_decode=False,  # bodies as bytes: the binary body must come back byte for byte
        reconnect_attempts_max=1,
        binary_mode=True,  # frames as binary WebSocket messages, since a body need not be UTF-8
    )
    conn.set_listener("recorder", recorder)
    conn.connect(wait=True, headers={"client-id": "stomp-py-interop"})
    return conn


def text(frame):
    return frame.body.decode("utf-8") if frame is not None else None


step(f"connecting to {sys.argv[1]}")
rec = Recorder()
conn = connect(rec)
rec.wait(lambda: rec.connected is not None)
results["connected"] = conn.is_connected()
results["version"] = rec.connected.headers.get("version") if rec.connected else None

step("subscribing to a topic (auto ack) and a queue (client-individual ack), with receipts")
conn.subscribe("/topic/interop.py", id="t", ack="auto", receipt="sub-t")
conn.subscribe("/queue/interop.py", id="q", ack="client-individual", receipt="sub-q")
results["subscribe_receipts"] = rec.receipt("sub-t") and rec.receipt("sub-q")

step("text body with a custom header and a receipt")
conn.send("/topic/interop.py", "héllo from stomp.py ✓", content_type="text/plain;charset=utf-8",
          headers={"x-origin": "python"}, receipt="send-text")
frame = rec.take("t")
results["send_receipt"] = rec.receipt("send-text")
results["text"] = {
    "body": text(frame),
    "destination": frame.headers.get("destination") if frame else None,
    "content_type": frame.headers.get("content-type") if frame else None,
    "x_origin": frame.headers.get("x-origin") if frame else None,
    "has_message_id": bool(frame and frame.headers.get("message-id")),
}

step("binary body holding NUL bytes, framed by content-length")
payload = b"\x00\x01\x02\xff\xfe\x00 binary \x00"
conn.send("/topic/interop.py", payload, content_type="application/octet-stream", receipt="send-bin")
frame = rec.take("t")
results["binary"] = {
    "sent_length": len(payload),
    "received": list(frame.body) if frame else None,
    "content_length": frame.headers.get("content-length") if frame else None,
    "equal": bool(frame and frame.body == payload),
    "receipt": rec.receipt("send-bin"),
}

step("queue: two jobs, NACK the first (redelivered), ACK the second then the redelivery")
conn.send("/queue/interop.py", "job-1")
conn.send("/queue/interop.py", "job-2")
first = rec.take("q")
second = rec.take("q")
conn.ack(second.headers["ack"], receipt="ack-2")  # client-individual: job-1 stays unacknowledged
conn.nack(first.headers["ack"], receipt="nack-1")
again = rec.take("q")
results["queue"] = {
    "first": text(first),
    "second": text(second),
    "first_redelivered_header": first.headers.get("redelivered") if first else None,
    "ack_receipt": rec.receipt("ack-2"),
    "nack_receipt": rec.receipt("nack-1"),
    "redelivery": text(again),
    "redelivered_header": again.headers.get("redelivered") if again else None,
    "new_ack_id": bool(again and again.headers.get("ack")),
}
conn.ack(again.headers["ack"], receipt="ack-1")
results["queue"]["redelivery_ack_receipt"] = rec.receipt("ack-1")
# Nothing else may come back: job-3 arrives next, and nothing before it.
conn.send("/queue/interop.py", "job-3")
after = rec.take("q")
results["queue"]["after_acks"] = text(after)
conn.ack(after.headers["ack"])

step("transaction: two SENDs held until COMMIT; an aborted one never arrives")
tx = conn.begin()
conn.send("/topic/interop.py", "tx-1", transaction=tx)
conn.send("/topic/interop.py", "tx-2", transaction=tx)
conn.send("/topic/interop.py", "marker-before-commit", receipt="marker-1")
marker = rec.take("t")  # per-destination order: a tx message delivered early would come first
results["transaction"] = {"before_commit": text(marker)}
conn.commit(tx, receipt="commit")
results["transaction"]["commit_receipt"] = rec.receipt("commit")
results["transaction"]["after_commit"] = [text(rec.take("t")), text(rec.take("t"))]
aborted = conn.begin()
conn.send("/topic/interop.py", "aborted", transaction=aborted)
conn.abort(aborted, receipt="abort")
results["transaction"]["abort_receipt"] = rec.receipt("abort")
conn.send("/topic/interop.py", "marker-after-abort")
results["transaction"]["after_abort"] = text(rec.take("t"))

step("unsubscribe with a receipt: no more messages on that subscription")
conn.subscribe("/topic/interop.py", id="t2", receipt="sub-t2")
rec.receipt("sub-t2")
conn.unsubscribe("t2", receipt="unsub-t2")
results["unsubscribe_receipt"] = rec.receipt("unsub-t2")
conn.send("/topic/interop.py", "only-t")
results["after_unsubscribe"] = {"t": text(rec.take("t")), "t2": [text(m) for m in rec.pending("t2")]}

step("DISCONNECT with a receipt")
conn.disconnect(receipt="bye")
results["disconnect_receipt"] = rec.receipt("bye")
results["disconnected"] = bool(rec.wait(lambda: rec.disconnected))

step("a malformed frame: ERROR with a message header, then the broker closes the socket")
bad = Recorder()
conn2 = connect(bad)
started = time.monotonic()
conn2.transport.send(b"NOT-A-COMMAND\nfoo:bar\n\nbody\x00")
got_error = bool(bad.wait(lambda: bad.errors))
results["bad_frame"] = {
    "error": got_error,
    "message": bad.errors[0].headers.get("message") if got_error else None,
    "socket_closed": bool(bad.wait(lambda: bad.disconnected)),
}
results["bad_frame"]["closed_within_s"] = round(time.monotonic() - started, 3)
try:
    conn2.disconnect()
except Exception:  # already closed by the broker, as it should be
    pass

print(json.dumps(results))
