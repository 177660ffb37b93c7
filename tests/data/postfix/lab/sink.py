"""A stand-in for the rest of the internet: an SMTP (or LMTP) server on loopback that answers by recipient.

The local part says what to answer: `defer2.*` is refused for now (451) twice then taken, `later.*` is always
refused for now, `bounce.*` is refused for good (550), anything else is taken (250). It keeps nothing.
Run: python3 sink.py HOST PORT [lmtp]; it stops by itself after an hour.
"""

from __future__ import annotations

import socketserver
import sys
import threading
from collections import Counter

TRIES: Counter[str] = Counter()
LOCK = threading.Lock()


def answer(recipient: str) -> bytes:
    local = recipient.split("@", 1)[0].lower()
    with LOCK:
        TRIES[recipient] += 1
        tries = TRIES[recipient]
    if local.startswith("bounce."):
        return b"550 5.1.1 <%s>: Recipient address rejected: User unknown\r\n" % recipient.encode()
    if local.startswith("later.") or (local.startswith("defer2.") and tries <= 2):
        return b"451 4.3.0 <%s>: Temporary lookup failure, try again later\r\n" % recipient.encode()
    return b"250 2.1.5 Ok\r\n"


class Session(socketserver.StreamRequestHandler):
    lmtp = False

    def send(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def handle(self) -> None:
        self.send(b"220 mx.stand-in ESMTP\r\n")
        accepted: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"LHLO"):
                self.send(b"250-mx.stand-in\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"HELO":
                self.send(b"250 mx.stand-in\r\n")
            elif verb == b"MAIL":
                accepted = []
                self.send(b"250 2.1.0 Ok\r\n")
            elif verb == b"RCPT":
                recipient = line.split(b"<", 1)[1].split(b">", 1)[0].decode("utf-8", "replace")
                reply = answer(recipient)
                if reply.startswith(b"250"):
                    accepted.append(recipient)
                self.send(reply)
            elif verb == b"DATA":
                self.send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                if self.lmtp:
                    for recipient in accepted:
                        self.send(b"250 2.0.0 <%s> Saved\r\n" % recipient.encode())
                else:
                    self.send(b"250 2.0.0 Ok: 1234 bytes taken\r\n")
            elif verb == b"QUIT":
                self.send(b"221 2.0.0 Bye\r\n")
                return
            else:
                self.send(b"250 2.0.0 Ok\r\n")


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    Session.lmtp = len(sys.argv) > 3 and sys.argv[3] == "lmtp"
    with Server((host, port), Session) as server:
        threading.Timer(3600, server.shutdown).start()
        server.serve_forever()
