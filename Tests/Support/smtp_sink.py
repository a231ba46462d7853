"""A loopback SMTP server for mdrsd's integration tests (aiosmtpd).

Writes each accepted message to OUT_DIR/NNNN.json ({mail_from, rcpt_tos,
data}) and counts connections in OUT_DIR/connections. Prints "PORT <n>" once
it listens. Stops when its stdin closes (or on SIGTERM).

Modes imitate what real relays do:
  ok          accept everything
  421         refuse DATA with 421 (service shutting down)
  451-once    defer the first DATA with 451, accept the rest
  550         refuse every recipient with 550
  stall       accept TCP connections and never say a word
  discard     accept everything, store nothing (for benchmarks)
  slow        accept everything, 20 ms per message (a relay under load)
  pause-at-10 accept ten messages, then hold every DATA unanswered until a
              file OUT_DIR/resume exists (a relay that hangs mid-batch)
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, out_dir, mode):
        self.out_dir = out_dir
        self.mode = mode
        self.count = 0
        self.deferred = False
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if not getattr(session, "counted", False):
            session.counted = True
            with self.lock:
                path = os.path.join(self.out_dir, "connections")
                n = int(open(path).read()) if os.path.exists(path) else 0
                with open(path, "w") as f:
                    f.write(str(n + 1))
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "550":
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "discard":
            return "250 2.0.0 Ok: discarded"
        if self.mode == "421":
            return "421 4.3.2 Service shutting down"
        if self.mode == "slow":
            await asyncio.sleep(0.02)
        if self.mode == "pause-at-10":
            while self.count >= 10 and not os.path.exists(os.path.join(self.out_dir, "resume")):
                await asyncio.sleep(0.05)
        with self.lock:
            if self.mode == "451-once" and not self.deferred:
                self.deferred = True
                return "451 4.7.1 Try again later"
            self.count += 1
            path = os.path.join(self.out_dir, f"{self.count:06d}.json")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "auth": session.authenticated,
        }
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Ok: queued as %04d" % self.count


class Authenticator:
    def __init__(self, user, password):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)


class Options(Controller):
    def __init__(self, handler, args, **kwargs):
        self.args = args
        super().__init__(handler, **kwargs)

    def factory(self):
        args = self.args
        kwargs = {}
        if args.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(args.tls[0], args.tls[1])
            kwargs.update(tls_context=context, require_starttls=True)
        if args.auth:
            user, password = args.auth.split(":", 1)
            exclude = [m for m in ("PLAIN", "LOGIN") if args.auth_mechanism and m != args.auth_mechanism]
            kwargs.update(authenticator=Authenticator(user, password), auth_required=True,
                          auth_require_tls=bool(args.tls), auth_exclude_mechanism=exclude)
        return SMTP(self.handler, **kwargs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stall_listener(port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    listener.settimeout(0.2)
    return listener


def stall_forever(listener, stop):
    held = []
    while not stop.is_set():
        try:
            held.append(listener.accept()[0])  # keep it open, say nothing
        except socket.timeout:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="ok", choices=["ok", "421", "451-once", "550", "stall", "discard", "slow", "pause-at-10"])
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--auth-mechanism", choices=["PLAIN", "LOGIN"])
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    port = args.port or free_port()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    if args.mode == "stall":
        # Listening before "PORT" is printed, so a client never sees a refusal.
        threading.Thread(target=stall_forever, args=(stall_listener(port), stop), daemon=True).start()
        controller = None
    else:
        controller = Options(Sink(args.out_dir, args.mode), args, hostname="127.0.0.1", port=port)
        controller.start()
    print(f"PORT {port}", flush=True)
    # A timed wait lets Python run the SIGTERM handler between waits.
    while not stop.wait(0.2):
        pass
    if controller:
        controller.stop()


if __name__ == "__main__":
    main()
