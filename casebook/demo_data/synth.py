"""Deterministic synthetic logs: the demo's month, the sample files, and the benchmark's million lines.

Same seed, same bytes. The office is the demo organisation's (casebook/demo_data/employees.csv):
work by day, some private use at lunch, and a few incidents a control should find.
`python -m casebook.demo_data.synth samples DIR` writes the sample files of every format.
"""

from __future__ import annotations

import gzip
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

BRUSSELS_WINTER = timezone(timedelta(hours=1))

# (proxy user as the proxy logs it, fixed IP or None, mail address) of the demo staff.
OFFICE = [
    ("DEWERF\\apeeters", "10.20.3.11", "an.peeters@dewerf.be"),
    ("DEWERF\\iclaes", "10.20.0.10", "ilse.claes@dewerf.be"),
    ("DEWERF\\sjanssens", "10.20.3.12", "sofie.janssens@dewerf.be"),
    ("DEWERF\\ewillems", "10.20.1.30", "eva.willems@dewerf.be"),
    ("DEWERF\\jvermeulen", "10.20.1.21", "jan.vermeulen@dewerf.be"),
    ("DEWERF\\ldesmet", "10.20.3.14", "lotte.desmet@dewerf.be"),
    ("DEWERF\\pgoossens", "10.20.2.8", "pieter.goossens@dewerf.be"),
    ("DEWERF\\nelamrani", "10.20.1.22", "nadia.elamrani@dewerf.be"),
    ("DEWERF\\twouters", "10.20.2.7", "tom.wouters@dewerf.be"),
    ("DEWERF\\smertens", "10.20.1.31", "sarah.mertens@dewerf.be"),
    ("DEWERF\\kbakkali", "10.20.0.11", "karim.bakkali@dewerf.be"),
]
WORK_SITES = [
    ("outlook.office365.com", 40),
    ("teams.microsoft.com", 30),
    ("login.microsoftonline.com", 12),
    ("dewerf.sharepoint.com", 20),
    ("www.google.com", 15),
    ("fonts.gstatic.com", 10),
    ("www.kbc.be", 3),
    ("www.socialsecurity.be", 3),
    ("www.vlaanderen.be", 4),
    ("api.exactonline.be", 6),
    ("www.bpost.be", 2),
    ("www.linkedin.com", 3),
    ("update.microsoft.com", 4),
    ("nl.wikipedia.org", 3),
]
PRIVATE_SITES = [
    ("www.hln.be", 6),
    ("www.standaard.be", 4),
    ("www.facebook.com", 5),
    ("www.instagram.com", 3),
    ("www.youtube.com", 4),
    ("rr3---sn-4g5e6nsz.googlevideo.com", 3),
    ("www.bol.com", 2),
    ("www.zalando.be", 1),
    ("open.spotify.com", 2),
    ("www.2dehands.be", 1),
    ("mail.google.com", 2),
]
EXTERNAL_MAIL = [
    "info@boekhouder.be",
    "jan@gmail.com",
    "offerte@drukkerij.be",
    "support@exact.com",
    "nieuwsbrief@vlaanderen.be",
    "lisa.peeters@telenet.be",
]
PATHS = ["", "index.html", "api/v2/items", "img/logo.png"]
TYPES = ["text/html", "application/json", "image/png", "text/css", "application/javascript"]


def _pick(rng: random.Random, sites: list[tuple[str, int]]) -> str:
    return rng.choices([s for s, _ in sites], weights=[w for _, w in sites])[0]


def squid_line(
    rng: random.Random,
    ts: float,
    client: str,
    user: str,
    host: str,
    method: str | None = None,
    size: int | None = None,
    code: str | None = None,
    sent: int | None = None,
    with_sent: bool = False,
    path: str | None = None,
) -> str:
    """A line of Squid's native format; with `with_sent`, of the README's logformat that adds %>st (what the
    client sent): `sent` when given, else a plausible size derived from the line (no draw, so the rest of a
    log made with it stays the same)."""
    method = method or ("CONNECT" if rng.random() < 0.8 else "GET")
    if method == "CONNECT":
        elapsed = int(rng.expovariate(1 / 20000))
        target, kind, code = f"{host}:443", "-", code or "TCP_TUNNEL/200"
    else:
        elapsed = int(rng.expovariate(1 / 400))
        target = f"http://{host}/{path if path is not None else rng.choice(PATHS)}"
        kind = rng.choice(TYPES)
        code = code or rng.choice(["TCP_MISS/200", "TCP_MISS/200", "TCP_HIT/200", "TCP_MISS/304"])
    size = size if size is not None else int(rng.lognormvariate(8.5, 1.6))
    peer = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    record = f"{ts:.3f} {elapsed:6d} {client} {code} {size} {method} {target} {user} HIER_DIRECT/{peer} {kind}"
    if not with_sent:
        return record
    if sent is None:  # a request's headers; through a tunnel, the TLS records of what was asked
        sent = 1200 + size // 12 if method == "CONNECT" else 320 + len(target)
    return f"{record} {sent}"


def office(
    start: datetime, days: int, seed: int = 81, per_day: tuple[int, int] = (120, 260), with_sent: bool = False
) -> Iterator[tuple[float, str]]:
    """(time, squid line) of ordinary office days, weekends off, in time order per day."""
    rng = random.Random(seed)
    for day in range(days):
        date = start + timedelta(days=day)
        if date.weekday() >= 5:
            continue
        lines = []
        for user, client, _ in OFFICE:
            begin = date.replace(hour=8, minute=rng.randint(0, 59))
            for offset in sorted(rng.uniform(0, 9 * 3600) for _ in range(rng.randint(*per_day))):
                moment = begin + timedelta(seconds=offset)
                private = rng.random() < (0.45 if moment.hour == 12 else 0.05)
                host = _pick(rng, PRIVATE_SITES if private else WORK_SITES)
                line = squid_line(rng, moment.timestamp(), client, user, host, with_sent=with_sent)
                lines.append((moment.timestamp(), line))
        yield from sorted(lines)


def incidents(start: datetime, seed: int = 82) -> Iterator[tuple[float, str]]:
    """What the demo's control should find, one or more per purpose, dated from `start` (a Monday).

    In the README's logformat with %>st: the uploads are what was sent, not what came back."""
    rng = random.Random(seed)

    def sized(*args: object, **kwargs: object) -> str:
        return squid_line(*args, with_sent=True, **kwargs)  # type: ignore[arg-type]

    def at(day: int, hour: int, minute: int) -> float:
        return (start + timedelta(days=day, hours=hour, minutes=minute)).timestamp()

    tom, pieter, karim, sarah = OFFICE[8], OFFICE[6], OFFICE[10], OFFICE[9]
    # Purpose 1: an adult site, twice, one afternoon.
    for minute in (5, 9):
        yield at(2, 15, minute), sized(rng, at(2, 15, minute), tom[1], tom[0], "www.pornhub.com")
    # Purpose 2: large uploads to a file-sharing site.
    for minute in range(0, 40, 4):
        ts = at(8, 16, minute)
        yield (
            ts,
            sized(rng, ts, pieter[1], pieter[0], "wetransfer.com", method="POST", size=1_200, sent=180_000_000),
        )
    # Purpose 3: a download spree, and a malware host the proxy refused.
    for minute in range(0, 50, 2):
        ts = at(10, 10, minute)
        yield ts, sized(rng, ts, karim[1], karim[0], "download.example-mirror.net", method="GET", size=120_000_000)
    for minute in range(40):
        ts = at(11, 9, minute)
        yield ts, sized(rng, ts, karim[1], karim[0], "eicar.org", method="GET", code="TCP_DENIED/403", size=3800)
    # Purpose 4: gambling in working hours on several days, and a blocked gambling site tried, twice each time
    # (the rule counts attempts from two a day). The second attempts draw from their own generator, so the
    # lines above stay as they were.
    again = random.Random(seed + 1)
    for day in (3, 4, 9, 10, 15, 16, 17):
        for minute in range(0, 100, 4):
            ts = at(day, 13, 30 + minute)
            yield ts, sized(rng, ts, sarah[1], sarah[0], "www.napoleongames.be")
        ts = at(day, 14, 55)
        yield ts, sized(rng, ts, sarah[1], sarah[0], "www.pokerstars.eu", code="TCP_DENIED/403", size=3900)
        ts = at(day, 15, 40)
        yield ts, sized(again, ts, sarah[1], sarah[0], "www.pokerstars.eu", code="TCP_DENIED/403", size=3900)


def month(start: datetime, days: int = 28, per_day: tuple[int, int] = (120, 260)) -> list[str]:
    """The demo's squid log, in the README's logformat with %>st: ordinary days and the incidents that fall
    within them, merged in time order.

    The incidents span two and a half weeks: a shorter log keeps only those of its own days. `per_day`:
    how many requests each person makes in a day (a quiet week, fewer).
    """
    end = (start + timedelta(days=days)).timestamp()
    found = [(ts, line) for ts, line in incidents(start) if ts < end]
    return [line for _, line in sorted([*office(start, days, per_day=per_day, with_sent=True), *found])]


# -- other formats -------------------------------------------------------------------------

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def combined(start: datetime, count: int, seed: int = 83) -> list[str]:
    """Squid's `combined` logformat: absolute URLs, the user in the third field."""
    rng = random.Random(seed)
    out = []
    moment = start.replace(hour=8)
    for _ in range(count):
        moment += timedelta(seconds=rng.expovariate(1 / 60))
        user, client, _ = rng.choice(OFFICE)
        host = _pick(rng, WORK_SITES + PRIVATE_SITES)
        stamp = f"{moment:%d}/{_MONTHS[moment.month - 1]}/{moment:%Y:%H:%M:%S} +0100"
        out.append(
            f'{client} - {user.split(chr(92))[-1]} [{stamp}] "GET http://{host}/ HTTP/1.1" '
            f'{rng.choice([200, 200, 304, 404])} {rng.randint(200, 90000)} "-" "Mozilla/5.0" TCP_MISS:HIER_DIRECT'
        )
    return out


def _mail_stamp(moment: datetime) -> str:
    return f"{_MONTHS[moment.month - 1]} {moment.day:2d} {moment:%H:%M:%S}"


def _lifecycle(rng: random.Random, qid: str, moment: datetime, sender: str) -> list[tuple[datetime, str]]:
    """The lines of one message, as a Postfix with a content filter on 127.0.0.1:10025 writes them.

    Most go straight through the filter and out; some recipients are refused for now and taken on a
    later try, some refused for good (the sender gets a bounce notice); a few are address probes.
    """
    out: list[tuple[datetime, str]] = []

    def line(at: datetime, daemon: str, text: str) -> None:
        out.append((at, f"{_mail_stamp(at)} mail postfix/{daemon}: {text}"))

    # The filter's copy and the bounce notice get ids one digit longer: no other message's.
    again, notice = qid + "1", qid + "2"
    size = rng.randint(900, 4_000_000)
    if rng.random() < 0.03:  # reject_unverified_recipient's probe, from double-bounce@
        to = rng.choice(EXTERNAL_MAIL)
        line(moment, "qmgr[1187]", f"{qid}: from=<double-bounce@mail.dewerf.be>, size=233, nrcpt=1 (queue active)")
        line(
            moment,
            "smtp[3001]",
            f"{qid}: to=<{to}>, relay=mx.example[192.0.2.7]:25, delay=0.2, dsn=2.1.5, "
            "status=deliverable (250 2.1.5 Ok)",
        )
        line(moment, "qmgr[1187]", f"{qid}: removed")
        return out
    recipients = rng.sample([o[2] for o in OFFICE] + EXTERNAL_MAIL, rng.randint(1, 3))
    line(moment, f"smtpd[{2000 + len(out)}]", f"{qid}: client=unknown[10.20.0.5]")
    line(moment, "qmgr[1187]", f"{qid}: from=<{sender}>, size={size}, nrcpt={len(recipients)} (queue active)")
    # The filter: every recipient handed to 127.0.0.1:10025, queued again under a new id.
    hop = moment + timedelta(seconds=1)
    line(hop, "smtpd[2999]", f"{again}: client=localhost[127.0.0.1]")
    line(hop, "qmgr[1187]", f"{again}: from=<{sender}>, size={size + 412}, nrcpt={len(recipients)} (queue active)")
    for to in recipients:
        line(
            hop,
            "smtp[3002]",
            f"{qid}: to=<{to}>, relay=127.0.0.1[127.0.0.1]:10025, delay=1, dsn=2.0.0, "
            f"status=sent (250 2.0.0 Ok: queued as {again})",
        )
    line(hop, "qmgr[1187]", f"{qid}: removed")
    done = hop + timedelta(seconds=1)
    bounced = False
    for to in recipients:
        inside = to.endswith("@dewerf.be")
        daemon, relay = (
            ("lmtp[3003]", "mail.dewerf.be[private/dovecot-lmtp]")
            if inside
            else ("smtp[3004]", "mx.example[192.0.2.7]:25")
        )
        fate = rng.random()
        if not inside and fate < 0.12:  # refused for now, then taken on a later try
            at = done
            for _ in range(rng.randint(1, 2)):
                line(
                    at,
                    daemon,
                    f"{again}: to=<{to}>, relay={relay}, delay=1, dsn=4.7.1, status=deferred "
                    "(host mx.example[192.0.2.7] said: 450 4.7.1 Greylisted, try again later)",
                )
                at += timedelta(minutes=rng.randint(5, 20))
                line(at, "qmgr[1187]", f"{again}: from=<{sender}>, size={size + 412}, nrcpt=1 (queue active)")
            line(at, daemon, f"{again}: to=<{to}>, relay={relay}, delay=900, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
            done = max(done, at)
        elif not inside and fate < 0.16:  # refused for good
            line(
                done,
                daemon,
                f"{again}: to=<{to}>, relay={relay}, delay=1, dsn=5.1.1, status=bounced "
                "(host mx.example[192.0.2.7] said: 550 5.1.1 User unknown)",
            )
            bounced = True
        else:
            line(done, daemon, f"{again}: to=<{to}>, relay={relay}, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
    if bounced and not sender.endswith("@dewerf.be"):
        bounced = False  # a bounce to the outside goes out like any mail: not drawn here
    if bounced:
        line(done, "qmgr[1187]", f"{notice}: from=<>, size=3034, nrcpt=1 (queue active)")
        line(done, "bounce[3005]", f"{again}: sender non-delivery notification: {notice}")
        line(
            done,
            "lmtp[3003]",
            f"{notice}: to=<{sender}>, relay=mail.dewerf.be[private/dovecot-lmtp], delay=0, "
            "dsn=2.0.0, status=sent (250 2.0.0 Saved)",
        )
        line(done, "qmgr[1187]", f"{notice}: removed")
    line(done, "qmgr[1187]", f"{again}: removed")
    return out


def postfix(start: datetime, count: int, seed: int = 84) -> list[str]:
    """`count` messages of the demo office through its mail server, with a content filter, retries, bounces,
    probes, and the IMAP server's lines in the same mail.log: one message each, however many lines."""
    rng = random.Random(seed)
    lines: list[tuple[datetime, str]] = []
    moment = start.replace(hour=8)
    for n in range(count):
        moment += timedelta(seconds=rng.expovariate(1 / 240))
        sender = rng.choice(OFFICE)[2] if rng.random() < 0.6 else rng.choice(EXTERNAL_MAIL)
        lines += _lifecycle(rng, f"{0x4A3B000 + n * 7919:X}", moment, sender)
        if rng.random() < 0.1:
            who = rng.choice(OFFICE)[2]
            lines.append(
                (
                    moment,
                    f"{_mail_stamp(moment)} mail dovecot[812]: imap-login: Login: user=<{who}>, "
                    "method=PLAIN, rip=10.20.0.5, lip=10.20.0.2, mpid=4242, TLS",
                )
            )
    return [text for _, text in sorted(lines, key=lambda pair: pair[0])]


def write_postfix_bench(
    path: Path, messages: int, seed: int = 2, *, start: datetime | None = None, seconds_between: float = 2.0
) -> None:
    """A busy mail server's log: `messages` messages of 400 people, through a content filter, in time order,
    `seconds_between` apart on average (from 2 November 2026, 07:00, unless `start` says)."""
    rng = random.Random(seed)
    start = start or datetime(2026, 11, 2, 7, 0, tzinfo=BRUSSELS_WINTER)
    people = [f"user{i:03d}@dewerf.be" for i in range(400)]
    outside = [f"contact{i}@example{i % 50}.com" for i in range(2000)]
    with path.open("w", encoding="ascii") as handle:
        batch: list[tuple[datetime, str]] = []
        moment = start
        for n in range(messages):
            moment += timedelta(seconds=rng.expovariate(1 / seconds_between))
            sender = rng.choice(people) if rng.random() < 0.6 else rng.choice(outside)
            batch += _lifecycle(rng, f"{0x10000000 + n:X}", moment, sender)
            if len(batch) > 20_000:
                batch.sort(key=lambda pair: pair[0])
                # Lines older than the last hour of messages are final: write them out in order.
                cut = moment - timedelta(hours=1)
                handle.writelines(text + "\n" for at, text in batch if at < cut)
                batch = [pair for pair in batch if pair[0] >= cut]
        batch.sort(key=lambda pair: pair[0])
        handle.writelines(text + "\n" for _, text in batch)


def firewall_csv(start: datetime, count: int, seed: int = 85) -> list[str]:
    rng = random.Random(seed)
    out = ["timestamp,src_ip,user,dst_host,bytes,method,action"]
    moment = start.replace(hour=8)
    for _ in range(count):
        moment += timedelta(seconds=rng.expovariate(1 / 90))
        user, client, _ = rng.choice(OFFICE)
        host = _pick(rng, WORK_SITES + PRIVATE_SITES)
        action = "allow" if host != "www.unibet.be" else "deny"
        out.append(
            f"{moment.isoformat()},{client},{user.split(chr(92))[-1] if rng.random() < 0.7 else ''},"
            f"{host},{rng.randint(300, 500000)},GET,{action}"
        )
    return out


VISITS_HEADER = "user,client,host,start,end,requests,bytes_down,bytes_up,denied"


def aggregate(lines: list[str], gap: float = 300.0, zone: timezone | None = None) -> list[str]:
    """Squid lines as the visits CSV a log platform makes of them (the README's ClickHouse query, in Python):
    per user or client and host, requests merged while the gap between them stays under `gap` seconds.
    Lines the casebook would reject are left out."""
    from casebook.logs import hosts, squid
    from casebook.logs.hits import Reject

    parser = squid.Parser()
    spans: dict[tuple[str, str, str], list[list[float]]] = {}
    for line in lines:
        try:
            hit = parser.parse(line)
            key = (hit.identity_kind, hit.identity, hosts.host_of(hit.target))
        except Reject:
            continue
        spans.setdefault(key, []).append(
            [hit.ts - hit.elapsed_ms / 1000, hit.ts, 1, hit.bytes, hit.sent or 0, int(hit.denied)]
        )
    rows = []
    for (kind, who, host), requests in spans.items():
        requests.sort()
        visit = None
        for request in requests:
            if visit is not None and request[0] <= visit[1] + gap:
                visit[1] = max(visit[1], request[1])
                for i in range(2, 6):
                    visit[i] += request[i]
                continue
            if visit is not None:
                rows.append((kind, who, host, visit))
            visit = list(request)
        rows.append((kind, who, host, visit))  # type: ignore[arg-type]

    def stamp(ts: float) -> str:
        return f"{ts:.3f}" if zone is None else datetime.fromtimestamp(ts, zone).isoformat(timespec="milliseconds")

    rows.sort(key=lambda row: (row[3][0], row[1], row[2]))
    out = [VISITS_HEADER]
    for kind, who, host, (start, end, n, down, up, denied) in rows:
        user, client = (who, "") if kind == "user" else ("", who)
        out.append(f"{user},{client},{host},{stamp(start)},{stamp(end)},{n},{down},{up},{denied}")
    return out


BAD_SQUID = [
    b"this is not a log line at all",
    b"1795510000.000 12 10.20.0.10 TCP_MISS/200 512 GET",
    b"yesterday 12 10.20.0.10 TCP_MISS/200 512 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
    b"1795510000.000 12 10.20.0.10 TCP_MISS/200 512 GET http://caf\xe9.be/ - HIER_DIRECT/1.2.3.4 text/html",
    b"1795510000.000 12 10.20.0.10 TCP_MISS/200 512 GET http://www.hln.be/\x00 - HIER_DIRECT/1.2.3.4 text/html",
    b"1795510000.000 12 10.20.0.10 TCP_MISS/200 512 GET http://[red]evil[/red]/ - HIER_DIRECT/1.2.3.4 text/html",
    b"1795510000.000 12 10.20.0.10 TCP_MISS/200 512 GET http://evil.example/\x1b[2J\x1b[31m - HIER_DIRECT/1.2.3.4 -",
    b"4102444800.000 12 10.20.0.10 TCP_MISS/200 512 GET http://www.future.example/ - HIER_DIRECT/1.2.3.4 text/html",
]


def write_samples(folder: Path) -> None:
    """The files of sample_logs/: a day or two of every format, with bad lines among them."""
    folder.mkdir(parents=True, exist_ok=True)
    monday = datetime(2026, 11, 2, tzinfo=BRUSSELS_WINTER)
    day_one = [line.encode() for _, line in office(monday, 1, per_day=(60, 120))]
    # Bad lines spread through the file, and a last line cut off mid-write.
    for n, bad in enumerate(BAD_SQUID):
        day_one.insert(100 + n * 97, bad)
    (folder / "squid-access.log").write_bytes(b"\n".join(day_one) + b"\n" + day_one[-1][:37])
    day_before = "\n".join(line for _, line in office(monday - timedelta(days=3), 1, seed=7, per_day=(30, 60)))
    with gzip.GzipFile(folder / "squid-access.log.1.gz", "wb", mtime=0) as handle:
        handle.write(day_before.encode() + b"\n")
    lines = combined(monday, 300)
    lines.insert(50, '10.20.1.30 - - [02/Nov/2026:09:61:00 +0100] "GET http://www.hln.be/ HTTP/1.1" 200 5 "-" "-" X')
    lines.insert(120, '10.20.1.30 - - [02/Nov/2026:10:00:00 +0100] "NOT A REQUEST" 200 5 "-" "-" X')
    (folder / "squid-combined.log").write_text("\n".join(lines) + "\n")
    mail = postfix(monday, 120)
    mail.insert(30, "Nov  2 10:00:00 mail postfix/smtp[999]: DEADBEEF01: to=<x@gmail.com>, relay=none, status=bounced")
    (folder / "postfix-mail.log").write_text("\n".join(mail) + "\n")
    rows = firewall_csv(monday, 200)
    rows.insert(40, "not-a-time,10.20.1.30,ewillems,www.hln.be,100,GET,allow")
    rows.insert(80, "2026-11-02T10:00:00+01:00,10.20.1.30")
    (folder / "firewall.csv").write_text("\n".join(rows) + "\n")
    # The same requests as squid-access.log's: what it holds that the casebook reads (not the line from 2100).
    readable = [line.decode() for line in day_one if line.isascii() and b"\x00" not in line]
    visits = aggregate([line for line in readable if not line.startswith("4102444800")], zone=BRUSSELS_WINTER)
    visits.insert(20, "DEWERF\\ewillems,,www.hln.be,2026-11-02T10:05:00+01:00,2026-11-02T10:01:00+01:00,3,900,0,0")
    visits.insert(60, "DEWERF\\ewillems,,www.hln.be,2026-11-02T10:05:00+01:00,2026-11-02T10:09:00+01:00,-4,900,0,0")
    visits.insert(90, ",10.20.1.30,www.hln.be,2026-11-02T10:05:00+01:00,2026-11-12T10:05:00+01:00,3,900,0,0")
    (folder / "visits.csv").write_text("\n".join(visits) + "\n")


def write_squid_bench(path: Path, lines: int, seed: int = 1) -> None:
    """`lines` lines of a busy proxy: 400 users, a few thousand hosts, in time order."""
    rng = random.Random(seed)
    hosts = [f"www.site{i}.{rng.choice(['com', 'be', 'nl', 'co.uk', 'org'])}" for i in range(3000)]
    hosts += [h for h, _ in WORK_SITES + PRIVATE_SITES] * 20
    users = [(f"user{i:03d}" if rng.random() < 0.8 else "-", f"10.1.{i // 200}.{i % 200 + 10}") for i in range(400)]
    ts = datetime(2026, 11, 2, 7, 0, tzinfo=BRUSSELS_WINTER).timestamp()
    with path.open("w", encoding="ascii") as handle:
        for _ in range(lines):
            ts += rng.expovariate(1 / 0.03)
            user, client = rng.choice(users)
            handle.write(squid_line(rng, ts, client, user, rng.choice(hosts)) + "\n")


def write_squid_grouped(path: Path, lines: int, seed: int = 1) -> None:
    """`lines` lines of the same busy proxy as people use it: each one stays on a site for a few dozen
    requests (most of them pages and their parts, with query strings) before the next, so requests group
    into few visits."""
    rng = random.Random(seed)
    hosts = [f"www.site{i}.{rng.choice(['com', 'be', 'nl', 'co.uk', 'org'])}" for i in range(3000)]
    hosts += [h for h, _ in WORK_SITES + PRIVATE_SITES] * 20
    users = [(f"user{i:03d}" if rng.random() < 0.8 else "-", f"10.1.{i // 200}.{i % 200 + 10}") for i in range(400)]
    # Per person: the site they are on and how many requests they still make there.
    on = [(rng.choice(hosts), int(rng.expovariate(1 / 50)) + 1) for _ in users]
    ts = datetime(2026, 11, 2, 7, 0, tzinfo=BRUSSELS_WINTER).timestamp()
    with path.open("w", encoding="ascii") as handle:
        for _ in range(lines):
            ts += rng.expovariate(1 / 0.03)
            who = rng.randrange(len(users))
            host, left = on[who]
            if left <= 0:
                host, left = rng.choice(hosts), int(rng.expovariate(1 / 50)) + 1
            on[who] = (host, left - 1)
            user, client = users[who]
            method = "CONNECT" if rng.random() < 0.3 else "GET"
            query = f"{rng.choice(PATHS)}?id={rng.randrange(10**9)}&page={rng.randrange(50)}"
            handle.write(squid_line(rng, ts, client, user, host, method=method, path=query) + "\n")


# Sites an office's control should notice now and then, rare in the month's long tail: gambling, adult,
# games, hacking and malware sites, file sharing, and the sites the benchmark's policy blocks.
RARE_SITES = [
    "www.unibet.be",
    "www.pokerstars.eu",
    "www.bet365.com",
    "www.pornhub.com",
    "store.steampowered.com",
    "www.exploit-db.com",
    "eicar.org",
    "wetransfer.com",
    "www.dropbox.com",
    "thepiratebay.org",
]
# What the proxy refuses outright (the benchmark's policy blocks them too).
REFUSED_SITES = frozenset({"www.pokerstars.eu", "www.unibet.be", "thepiratebay.org"})
UPLOAD_SITES = frozenset({"wetransfer.com", "www.dropbox.com", "mail.google.com"})


def _office_hour_share(moment: datetime) -> float:
    """How busy an hour of the office is: working hours busy, nights and weekends quiet."""
    if moment.weekday() >= 5:
        return 0.03
    return 1.0 if 8 <= moment.hour < 18 else 0.05


def write_squid_office_month(
    folder: Path,
    requests: int,
    *,
    days: int = 30,
    people: int = 400,
    domains: int = 3000,
    start: datetime | None = None,
    seed: int = 3,
) -> list[tuple[Path, int]]:
    """About `requests` requests of an office over `days` days, one Squid log a day (`access-YYYY-MM-DD.log`,
    the README's logformat with %>st), in time order; returns each file with its line count.

    `people` people and `domains` sites, chosen by a long tail (the n-th site 1/n as often as the first): the
    office's work sites most, then private sites, then the rare ones. A person stays on a site for
    about twenty requests before the next; at lunch private sites are more likely. Working hours are busy,
    nights and weekends quiet (a few people). Now and then what a control should find: refusals of
    blocked sites, a burst of refusals from one machine, a transfer of gigabytes, a large upload.
    Same arguments, same bytes. Written a day at a time: memory stays flat whatever the size.
    """
    rng = random.Random(seed)
    start = start or datetime(2026, 10, 26, tzinfo=BRUSSELS_WINTER)
    tail = [f"www.site{i}.{rng.choice(['com', 'be', 'nl', 'co.uk', 'org'])}" for i in range(domains)]
    work = [host for host, _ in WORK_SITES]
    private = [host for host, _ in PRIVATE_SITES]
    # Ranks: work sites first, private sites among the next 150, the rare ones among ranks 200 to 2,000.
    ranked = tail[: max(0, domains - len(work) - len(private) - len(RARE_SITES))]
    for host in private:
        ranked.insert(rng.randrange(0, 150), host)
    for host in RARE_SITES:
        ranked.insert(rng.randrange(200, 2000), host)
    ranked = work + ranked
    cumulative: list[float] = []
    total = 0.0
    for rank in range(1, len(ranked) + 1):
        total += 1 / rank
        cumulative.append(total)
    staff = [(f"user{i:03d}", f"10.1.{i // 200}.{i % 200 + 10}") for i in range(people)]
    on = [["", 0] for _ in staff]  # per person: the site they are on, and how many requests they still make there
    hours = [start + timedelta(hours=h) for h in range(days * 24)]
    busy = sum(_office_hour_share(h) for h in hours)
    written: list[tuple[Path, int]] = []
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(days):
        path = folder / f"access-{(start + timedelta(days=day)):%Y-%m-%d}.log"
        count = 0
        with path.open("w", encoding="ascii") as handle:
            for moment in hours[day * 24 : day * 24 + 24]:
                share = _office_hour_share(moment)
                working = share == 1.0
                present = range(people) if working else rng.sample(range(people), max(1, people // 30))
                at = moment.timestamp()
                # (time, person, host or "" to follow the person's own browsing, refused)
                planned = [
                    (at + rng.random() * 3600, rng.choice(present), "", False)
                    for _ in range(round(requests * share / busy))
                ]
                if working and rng.random() < 0.05:  # a machine that keeps calling a site the proxy refuses
                    who, host, begin = rng.choice(present), rng.choice(tail), at + rng.random() * 3500
                    planned += [(begin + n * 1.3, who, host, True) for n in range(30)]
                planned.sort()
                lines = []
                for ts, who, host, refused in planned:
                    user, client = staff[who]
                    if not host:
                        current = on[who]
                        if current[1] <= 0:
                            if moment.hour == 12 and rng.random() < 0.4:
                                current[0] = rng.choice(private)
                            else:
                                current[0] = rng.choices(ranked, cum_weights=cumulative)[0]
                            current[1] = int(rng.expovariate(1 / 20)) + 1
                        current[1] -= 1
                        host = current[0]
                    size = sent = None
                    if refused or host in REFUSED_SITES:
                        code, size = "TCP_DENIED/403", 3900
                    else:
                        code = None
                        if rng.random() < 2e-6:  # an installer of gigabytes
                            size = 3_000_000_000
                        elif host in UPLOAD_SITES and rng.random() < 0.01:
                            sent = 250 * 1024 * 1024
                    lines.append(
                        squid_line(rng, ts, client, user, host, size=size, code=code, sent=sent, with_sent=True)
                    )
                handle.write("\n".join(lines) + "\n" if lines else "")
                count += len(lines)
        written.append((path, count))
    return written


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "bench":
        write_squid_bench(Path(argv[1]), int(argv[2]))
        return 0
    if len(argv) == 2 and argv[0] == "samples":
        write_samples(Path(argv[1]))
        return 0
    print("usage: python -m casebook.demo_data.synth bench FILE LINES | samples DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
