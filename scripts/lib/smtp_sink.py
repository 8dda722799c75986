#!/usr/bin/env python3
"""A real SMTP server for Drop's email tests (aiosmtpd, from PyPI), on loopback.

Each message it accepts is written to OUTBOX as one JSON file: the envelope, the decoded headers and
the text and HTML parts, as a person's mail reader would show them. It prints "ready <port>" when it
listens.

  --tls-cert/--tls-key   offer STARTTLS and refuse MAIL before it (and AUTH in clear)
  --auth USER:PASSWORD   require AUTH PLAIN/LOGIN with these credentials
  --refuse N             answer the first N messages' DATA with 451 (try again later), then accept
  --reject               answer every RCPT with 550 (no such user)
"""
import argparse, asyncio, email, email.policy, json, os, signal, ssl, sys, uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, outbox, refuse, reject):
        self.outbox, self.refuse, self.reject = outbox, refuse, reject

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "headers": {key: str(value) for key, value in message.items()},
            "contentType": message.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        name = os.path.join(self.outbox, f"{uuid.uuid4()}.json")
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 Queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    parser.add_argument("--refuse", type=int, default=0)
    parser.add_argument("--reject", action="store_true")
    args = parser.parse_args()

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        user, password = args.auth.split(":", 1)
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok)

    port = args.port
    if port == 0:
        import socket
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(
        Sink(args.outbox, args.refuse, args.reject), hostname="127.0.0.1", port=port,
        tls_context=tls, require_starttls=tls is not None,
        authenticator=authenticate if args.auth else None, auth_required=bool(args.auth),
        auth_require_tls=tls is not None, server_hostname="localhost",
    )
    controller.start()
    print(f"ready {port}", flush=True)
    try:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
