"""A real SMTP server on loopback that keeps what it receives (issue 12, DESIGN §10).

aiosmtpd (pinned, in .venv-notify made by Scripts/smtp-sink) speaks SMTP; this program only binds
it, prints the port it got on stdout's first line, and writes each message it accepts as
OUT/<n>.eml (the bytes as received, after the dot-unstuffing SMTP does) and OUT/<n>.json: the
envelope, whether TLS and AUTH were used, and the message as Python's `email` package reads it
(decoded headers, each text part decoded, parser defects), so a test checks the message with an
implementation that is not the sender's. The .json is written last: once it exists, both are whole.

    smtp_sink.py --port 0 --out DIR [--starttls | --implicit-tls] [--cert C --key K]
                 [--auth USER:PASS [--auth-exclude PLAIN]] [--refuse-rcpt 550] [--defer-first N]
                 [--until-stdin-closes]

--starttls offers STARTTLS and requires it before MAIL; --implicit-tls speaks TLS from the first
byte; --auth requires AUTH (PLAIN or LOGIN, over TLS only; --auth-exclude hides mechanisms);
--refuse-rcpt answers every RCPT TO with that code; --defer-first N answers the first N messages'
end of data with 451 (and keeps nothing of them), for retries. It runs until it gets SIGTERM or
SIGINT (or, with --until-stdin-closes, until its standard input ends: a test that dies takes its
sink with it).
"""

import argparse
import asyncio
import email
import email.policy
import json
import signal
import ssl
import sys
import threading
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parsed(content: bytes) -> dict:
    """The message as a mail reader sees it."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append(
            {
                "contentType": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transferEncoding": part.get("Content-Transfer-Encoding"),
                "content": part.get_content(),
            }
        )
    return {
        "headers": [[name, str(value)] for name, value in message.items()],
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "contentType": message.get_content_type(),
        "parts": parts,
        "defects": [repr(defect) for part in message.walk() for defect in part.defects],
    }


class Keeper:
    """aiosmtpd's handler: refuses recipients when told, writes every accepted message."""

    def __init__(self, out: Path, refuse_rcpt: int | None, defer_first: int):
        self.out = out
        self.refuse_rcpt = refuse_rcpt
        self.defer_first = defer_first
        self.deferred = 0
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt is not None:
            return f"{self.refuse_rcpt} 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.deferred < self.defer_first:
            self.deferred += 1
            return "451 4.3.0 deferred by --defer-first, try again later"
        self.count += 1
        number = self.count
        content = envelope.original_content or envelope.content
        (self.out / f"{number}.eml").write_bytes(content)
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTo": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "authUser": session.auth_data if isinstance(session.auth_data, str) else None,
            "heloName": session.host_name,
            "size": len(content),
            "message": parsed(content),
        }
        (self.out / f"{number}.json.part").write_text(json.dumps(record, ensure_ascii=False, indent=1))
        (self.out / f"{number}.json.part").rename(self.out / f"{number}.json")
        return f"250 2.0.0 Ok: queued as {number}"


def authenticator(user: str, password: str):
    def check(server, session, envelope, mechanism, auth_data):
        good = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=good, handled=False, auth_data=user if good else None)

    return check


async def serve(arguments) -> None:
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    context = None
    if arguments.starttls or arguments.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.cert, arguments.key)
    keeper = Keeper(out, arguments.refuse_rcpt, arguments.defer_first)
    options = {"hostname": "sink.localhost", "enable_SMTPUTF8": False}
    if arguments.starttls:
        options.update(tls_context=context, require_starttls=True)
    if arguments.auth:
        user, _, password = arguments.auth.partition(":")
        options.update(auth_required=True, auth_require_tls=True, authenticator=authenticator(user, password))
        if arguments.auth_exclude:
            options.update(auth_exclude_mechanism=arguments.auth_exclude.split(","))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(keeper, loop=loop, **options),
        host=arguments.host,
        port=arguments.port,
        ssl=context if arguments.implicit_tls else None,
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if arguments.until_stdin_closes:
        # A parent that dies without a word (a crashed test) still ends its sink.
        threading.Thread(target=lambda: (sys.stdin.buffer.read(), loop.call_soon_threadsafe(stop.set)), daemon=True).start()
    await stop.wait()
    server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", action="store_true")
    tls.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="USER:PASS")
    parser.add_argument("--auth-exclude", help="mechanisms not to offer, such as PLAIN")
    parser.add_argument("--refuse-rcpt", type=int, help="answer every RCPT TO with this code")
    parser.add_argument("--defer-first", type=int, default=0, help="answer the first N messages' data with 451")
    parser.add_argument("--until-stdin-closes", action="store_true", help="also stop when standard input reaches its end")
    arguments = parser.parse_args()
    # A parent may start us with SIGTERM blocked (the Swift test runner does): unblock it, or
    # terminating the sink would do nothing.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    if (arguments.starttls or arguments.implicit_tls) and not (arguments.cert and arguments.key):
        parser.error("TLS needs --cert and --key")
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
