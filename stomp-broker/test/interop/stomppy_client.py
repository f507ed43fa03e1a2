"""Drives the broker with stomp.py (an independent STOMP 1.2 client) over WebSocket and prints
what it observed as JSON for the jest test to check."""
import json
import sys
import time

import stomp

port = int(sys.argv[1])
results = {}


class Recorder(stomp.ConnectionListener):
    def __init__(self):
        self.messages = []
        self.receipts = []
        self.errors = []
        self.disconnected = False

    def on_message(self, frame):
        self.messages.append(frame)

    def on_receipt(self, frame):
        self.receipts.append(frame.headers["receipt-id"])

    def on_error(self, frame):
        self.errors.append(frame.headers.get("message"))

    def on_disconnected(self):
        self.disconnected = True


def wait_for(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def take(recorder, subscription):
    assert wait_for(lambda: any(m.headers["subscription"] == subscription for m in recorder.messages)), subscription
    frame = next(m for m in recorder.messages if m.headers["subscription"] == subscription)
    recorder.messages.remove(frame)
    return frame


def connection(recorder):
    conn = stomp.WSStompConnection([("127.0.0.1", port)], ws_path="/ws", heartbeats=(1000, 1000),
                                   auto_decode=False, reconnect_attempts_max=1,
                                   binary_mode=True)  # frames as binary WebSocket messages: bodies need not be UTF-8
    conn.set_listener("recorder", recorder)
    conn.connect(wait=True, headers={"login": "python"})
    return conn


rec = Recorder()
conn = connection(rec)
results["connected"] = conn.is_connected()

conn.subscribe("/topic/py", id="t", receipt="sub-t")
conn.subscribe("/queue/py", id="q", ack="client-individual", receipt="sub-q")
wait_for(lambda: {"sub-t", "sub-q"} <= set(rec.receipts))

conn.send("/topic/py", "héllo from python", content_type="text/plain", headers={"x-lang": "py"}, receipt="send-1")
text = take(rec, "t")
results["topic_text"] = text.body.decode("utf-8")
results["topic_header"] = text.headers.get("x-lang")
results["receipt_send"] = wait_for(lambda: "send-1" in rec.receipts)

conn.send("/topic/py", b"\x00\x01\xff\x00binary", content_type="application/octet-stream")
results["topic_binary"] = list(take(rec, "t").body)

conn.send("/queue/py", "job")
first = take(rec, "q")
conn.nack(first.headers["ack"])
again = take(rec, "q")
results["queue"] = [first.body.decode(), first.headers.get("redelivered"), again.body.decode(), again.headers.get("redelivered")]
conn.ack(again.headers["ack"], receipt="acked")
results["acked"] = wait_for(lambda: "acked" in rec.receipts)

tx = conn.begin()
conn.send("/topic/py", "in a transaction", transaction=tx)
time.sleep(0.3)
results["held_until_commit"] = not any(m.headers["subscription"] == "t" for m in rec.messages)
conn.commit(tx)
results["after_commit"] = take(rec, "t").body.decode()

conn.disconnect(receipt="bye")
results["disconnect_receipt"] = "bye" in rec.receipts

bad = Recorder()
conn2 = connection(bad)
conn2.send("/nowhere", "x")
results["error_message"] = bad.errors[0] if wait_for(lambda: bad.errors) else None
results["closed_after_error"] = wait_for(lambda: bad.disconnected)

print(json.dumps(results))
