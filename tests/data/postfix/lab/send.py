"""The messages of the lab (run-lab.sh): each one a lifecycle the import must count once.

python3 send.py CONFIG_DIR [short]
"""

from __future__ import annotations

import json
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

CONFIG = sys.argv[1]
SHORT = len(sys.argv) > 2


def message(sender: str, recipients: list[str], subject: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, ", ".join(recipients), subject
    mail.set_content("Lab message.\n" * 20)
    return mail


def smtp(port: int, sender: str, recipients: list[str], subject: str, utf8: bool = False) -> None:
    for _ in range(3):  # reject_unverified_recipient answers 450 while its probe runs
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo("laptop.dewerf.be")
                client.sendmail(
                    sender,
                    recipients,
                    message(sender, recipients, subject).as_bytes(),
                    mail_options=["SMTPUTF8"] if utf8 else [],
                )
            return
        except smtplib.SMTPRecipientsRefused as refused:
            print("refused", subject, refused.recipients, file=sys.stderr)
            time.sleep(3)
    print("gave up", subject, file=sys.stderr)


def sendmail(*args: str, body: bytes = b"Subject: lab\n\nLab message.\n") -> None:
    subprocess.run(["sendmail", "-C", CONFIG, *args], input=body, check=True)


def queue() -> list[dict[str, object]]:
    out = subprocess.run(["postqueue", "-c", CONFIG, "-j"], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


if SHORT:
    smtp(2525, "jan.peeters@dewerf.be", ["klant@gmail.example", "defer2.klant@partner.example"], "maillog_file")
    smtp(2525, "klant@gmail.example", ["an.claes@dewerf.be"], "incoming")
    sys.exit(0)

# 1. Outgoing through the content filter, one recipient deferred twice before it is taken.
smtp(2525, "jan.peeters@dewerf.be", ["klant@gmail.example", "defer2.klant@partner.example"], "two recipients")
# 2. Incoming to an alias of two people (orig_to), through the filter.
smtp(2525, "info@partner.example", ["verkoop@dewerf.be"], "alias")
# 3. Submission (syslog_name postfix/submission) to a recipient refused for good: a bounce notice follows.
smtp(2587, "an.claes@dewerf.be", ["bounce.niemand@gmail.example"], "bounce")
# 4. Never taken: expires after 40 s (maximal_queue_lifetime), returned to sender.
smtp(2525, "eva.willems@dewerf.be", ["later.traag@gmail.example"], "expires")
# 5. A local forward (alias to an outside address): forwarded as a new queue file.
smtp(2525, "klant@gmail.example", ["jan.thuis@dewerf.be"], "forward")
# 6. Local deliveries: to a file, to a command.
smtp(2525, "klant@gmail.example", ["archief@mail.dewerf.be", "robot@localhost"], "local")
# 7. discard, error, retry, lmtp and pipe transports.
smtp(2525, "jan.peeters@dewerf.be", ["x@trash.example", "y@nergens.example", "z@traag.example"], "transports")
smtp(2525, "jan.peeters@dewerf.be", ["box@lmtp.example", "cmd@pijp.example"], "lmtp pipe")
# 8. Through the second instance (postfix-out) on 127.0.0.1:2626.
smtp(2525, "an.claes@dewerf.be", ["partner@buiten.example"], "second instance")
# 9. A dead site: the first attempt is refused, the others are deferred by the queue manager itself.
for n in range(4):
    smtp(2525, "jan.peeters@dewerf.be", [f"p{n}@dood.example"], f"dead {n}")
# Straight from the maildrop (no filter), at once: the queue manager defers the ones after the first refusal.
for n in range(4, 8):
    sendmail("-f", "an.claes@dewerf.be", f"p{n}@dood.example")
# 10. SMTPUTF8 and quoted addresses.
smtp(2525, "jörg.müller@dewerf.be", ["Müller@gmail.example"], "utf8", utf8=True)
smtp(2525, '"jan peeters"@dewerf.be', ["klant@gmail.example"], "quoted")
# 11. Recipient address verification (probes from double-bounce@), on the 2526 service.
smtp(2526, "klant@gmail.example", ["bounce.onbekend@partner.example"], "verify refused")
smtp(2526, "klant@gmail.example", ["welkom@partner.example"], "verify ok")
# 12. sendmail -bv: what-if report (trace), nothing delivered.
sendmail("-f", "jan.peeters@dewerf.be", "-bv", "klant@gmail.example")
# 13. Picked up from the maildrop (sendmail), then held and deleted by postsuper.
sendmail("-f", "eva.willems@dewerf.be", "later.vast@gmail.example")
time.sleep(4)
for entry in queue():
    if any("later.vast" in str(r.get("address")) for r in entry.get("recipients", [])):  # type: ignore[union-attr]
        subprocess.run(["postsuper", "-c", CONFIG, "-h", str(entry["queue_id"])], check=True)
        time.sleep(1)
        subprocess.run(["postsuper", "-c", CONFIG, "-d", str(entry["queue_id"])], check=True)
# 14. Other programs of a Debian mail.log, through the same syslog.
for tag, text in (
    (
        "dovecot",
        "imap-login: Login: user=<jan.peeters@dewerf.be>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=4242, secured",
    ),
    (
        "amavis",
        "(04242-01) Passed CLEAN {RelayedInbound}, [127.0.0.1]:42424 <klant@gmail.example> -> <an.claes@dewerf.be>, Queue-ID: 4B1C2D3E4F, size: 1234",
    ),
    ("opendkim", "4B1C2D3E4F: DKIM-Signature field added (s=mail, d=dewerf.be)"),
    (
        "postgrey",
        "action=greylist, reason=new, client_name=mx.gmail.example, client_address=127.0.0.2, sender=klant@gmail.example, recipient=an.claes@dewerf.be",
    ),
):
    subprocess.run(["logger", "-p", "mail.info", "-t", f"{tag}[4242]", text], check=True)
