"""A loopback SMTP server for mdrsd's integration tests (aiosmtpd).

Writes each accepted message to OUT_DIR/NNNN.json ({mail_from, rcpt_tos,
data}) and prints "PORT <n>" once it listens. Stops on SIGTERM or when
its parent test dies (stdin closes).
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            path = os.path.join(self.out_dir, f"{self.count:04d}.json")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Ok: queued as %04d" % self.count


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    port = free_port()
    controller = Controller(Sink(args.out_dir), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    # A timed wait lets Python run the SIGTERM handler between waits.
    while not stop.wait(0.2):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
