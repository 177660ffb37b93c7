"""Every parser takes any input: an entry or a counted rejection, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.logs import clf, csvlog, formats, hosts, postfix, squid
from casebook.logs.hits import Hit, Reject, Sealed
from casebook.logs.mailflow import MailRow
from casebook.logs.visitlog import Span

SQUID = "1762070400.123    456 10.20.0.10 TCP_MISS/200 1234 GET http://www.hln.be/nieuws DEWERF\\iclaes HIER_DIRECT/93.184.216.34 text/html"
CONNECT = (
    "1762070400.123  20001 10.20.0.10 TCP_TUNNEL/200 5120 CONNECT www.facebook.com:443 - HIER_DIRECT/157.240.1.35 -"
)
COMBINED = (
    '10.20.0.10 - iclaes [02/Nov/2026:09:15:02 +0100] "GET http://www.hln.be/ HTTP/1.1" 200 2326 '
    '"-" "Mozilla/5.0" TCP_MISS:HIER_DIRECT'
)
COMMON = '10.20.0.10 - - [02/Nov/2026:09:15:02 +0100] "GET /index.html HTTP/1.1" 404 -'
QMGR = "Nov  2 09:15:02 mail postfix/qmgr[1187]: 4A3B21234: from=<Jan@DeWerf.be>, size=12345, nrcpt=2 (queue active)"
SMTP = (
    "Nov  2 09:15:03 mail postfix/smtp[2345]: 4A3B21234: to=<x@gmail.com>, relay=mx[1.2.3.4]:25, delay=1.2, "
    "dsn=2.0.0, status=sent (250 ok)"
)
REFERENCE = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

lines = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", errors="replace")),
    # Mutations of real lines reach deeper than random text.
    st.sampled_from([SQUID, CONNECT, COMBINED, COMMON, QMGR, SMTP]).flatmap(
        lambda base: st.tuples(st.integers(0, len(base)), st.integers(0, len(base)), st.text(max_size=20)).map(
            lambda cut: base[: cut[0]] + cut[2] + base[cut[1] :]
        )
    ),
)


def parses_or_rejects(parse, line: str) -> object:  # type: ignore[no-untyped-def]
    try:
        return parse(line)
    except Reject as reject:
        assert reject.reason
        return None


TYPED = SQUID.rsplit(" ", 1)[0]
content_types = st.sampled_from(["text/html", "TEXT/HTML; charset=utf-8", "-", "image/png", "application/xhtml+xml"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(lines, content_types.map(lambda kind: f"{TYPED} {kind}")), max_size=20))
def test_a_squid_parser_that_read_lines_before_reads_each_as_a_fresh_one(batch: list[str]) -> None:
    reused = squid.Parser()
    for line in batch:
        assert parses_or_rejects(reused.parse, line) == parses_or_rejects(squid.Parser().parse, line)


@settings(max_examples=400, deadline=None)
@given(lines)
def test_squid_never_raises(line: str) -> None:
    result = parses_or_rejects(squid.Parser().parse, line)
    assert result is None or isinstance(result, Hit)
    if isinstance(result, Hit):
        parses_or_rejects(hosts.host_of, result.target)


@settings(max_examples=400, deadline=None)
@given(lines)
def test_clf_never_raises(line: str) -> None:
    result = parses_or_rejects(clf.Parser("intranet.dewerf.be").parse, line)
    assert result is None or isinstance(result, Hit)


@settings(max_examples=400, deadline=None)
@given(st.lists(lines, max_size=6))
def test_postfix_never_raises(batch: list[str]) -> None:
    parser = postfix.Parser(REFERENCE)
    for line in [QMGR, *batch, SMTP]:
        result = parses_or_rejects(parser.parse, line)
        assert result is None or isinstance(result, postfix.Delivery)
    parser.ledger.open_mail_rows()
    parser.ledger.carry()


@settings(max_examples=300, deadline=None)
@given(lines)
def test_csv_never_raises(line: str) -> None:
    parser = csvlog.Parser("timestamp,src_ip,user,dst_host,bytes,method,action")
    result = parses_or_rejects(parser.parse, line)
    assert result is None or isinstance(result, Hit)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_host_of_never_raises(target: str) -> None:
    host = parses_or_rejects(hosts.host_of, target)
    if host is not None:
        assert host == host.lower() and ":" not in host.strip("[]") or host.count(":") >= 2
        hosts.domain_of(host)


def _host_as_first_parsed(target: str) -> str:
    """host_of as it was before the importer looked hosts up by authority: the reference the split must keep."""
    if "://" in target:
        rest = target.split("://", 1)[1]
        authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        authority = authority.rsplit("@", 1)[-1]
    elif target.startswith("/") or not target:
        raise Reject("no_host")
    else:
        authority = target.split("/", 1)[0].rsplit("@", 1)[-1]
    return hosts.host_of_authority(authority)


url_parts = st.sampled_from(["http://", "https://", "://", "/", "?", "#", "@", ":", ":443", "[", "]", "a", "B.c", "é"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(url_parts, max_size=12).map("".join)))
def test_a_host_found_by_its_authority_is_the_host_of_the_url(target: str) -> None:
    def outcome(host_of) -> str:  # type: ignore[no-untyped-def]
        try:
            return "host " + host_of(target)
        except Reject as reject:
            return "rejected " + reject.reason

    assert outcome(hosts.host_of) == outcome(_host_as_first_parsed)


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, max_size=10))
def test_detect_never_raises(batch: list[str]) -> None:
    assert formats.detect(batch) in (None, *formats.FORMATS)


# -- what the parsers read ---------------------------------------------------------------


def test_squid_native() -> None:
    hit = squid.Parser().parse(SQUID)
    assert hit == Hit(
        1762070400.123, 456, "DEWERF\\iclaes", "user", "GET", "http://www.hln.be/nieuws", 200, 1234, False, None, True
    )
    tunnel = squid.Parser().parse(CONNECT)
    assert (tunnel.identity, tunnel.identity_kind, tunnel.target) == ("10.20.0.10", "ip", "www.facebook.com:443")
    assert tunnel.page is None  # what went through the tunnel is not known
    denied = squid.Parser().parse(SQUID.replace("TCP_MISS/200", "TCP_DENIED/403"))
    assert denied.denied and denied.status == 403
    assert denied.page is None  # the type is that of Squid's own error page


@pytest.mark.parametrize(
    ("content_type", "page"),
    [
        ("text/html", True),
        ("text/html;charset=utf-8", True),
        ("application/xhtml+xml", True),
        ("image/png", False),
        ("application/javascript", False),
        ("-", None),
    ],
)
def test_a_page_is_what_the_log_calls_html(content_type: str, page: bool | None) -> None:
    assert squid.Parser().parse(SQUID.replace("text/html", content_type)).page is page
    row = f"2026-11-02T09:00:00+01:00,iclaes,www.hln.be,{content_type}"
    assert csvlog.Parser("time,user,host,content_type").parse(row).page is page
    assert csvlog.Parser("time,user,host").parse("2026-11-02T09:00:00+01:00,iclaes,www.hln.be").page is None


def test_combined_and_common() -> None:
    hit = clf.Parser().parse(COMBINED)
    assert (hit.identity, hit.target, hit.status, hit.bytes) == ("iclaes", "http://www.hln.be/", 200, 2326)
    assert hit.ts == datetime(2026, 11, 2, 8, 15, 2, tzinfo=UTC).timestamp()
    with pytest.raises(Reject, match="no_host"):
        clf.Parser().parse(COMMON)  # a path only, and no --host given
    site = clf.Parser("intranet.dewerf.be").parse(COMMON)
    assert (site.target, site.bytes, site.identity_kind) == ("http://intranet.dewerf.be/index.html", 0, "ip")


def test_postfix_joins_sender_and_recipients() -> None:
    parser = postfix.Parser(REFERENCE)
    assert parser.parse(QMGR) is None
    delivery = parser.parse(SMTP)
    at = datetime(2026, 11, 2, 8, 15, 3, tzinfo=UTC).timestamp()
    assert delivery == postfix.Delivery(at)
    (row,) = [written for _, written in parser.ledger.open_mail_rows()]
    assert row == MailRow(at, Sealed("jan@dewerf.be", False), Sealed("x@gmail.com", False), 12345, "sent", "message")
    with pytest.raises(Reject, match="unknown_queue_id"):
        parser.parse(SMTP.replace("4A3B21234", "FFFF00000"))


def test_postfix_december_read_in_january() -> None:
    parser = postfix.Parser(datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    parser.parse(QMGR.replace("Nov  2", "Dec 31"))
    delivery = parser.parse(SMTP.replace("Nov  2", "Dec 31"))
    assert datetime.fromtimestamp(delivery.ts, UTC).year == 2026


def test_csv_columns_by_name() -> None:
    parser = csvlog.Parser("Time,Source,Username,Hostname,Size,Method,Action")
    hit = parser.parse("2026-11-02T09:00:00+01:00,10.20.0.10,iclaes,www.hln.be,512,get,deny")
    assert (hit.identity, hit.target, hit.bytes, hit.method, hit.denied) == (
        "iclaes",
        "http://www.hln.be/",
        512,
        "GET",
        True,
    )
    with pytest.raises(Reject, match="csv_header"):
        csvlog.Parser("when,who")


@pytest.mark.parametrize(
    ("target", "host", "domain"),
    [
        ("http://WWW.News.BBC.co.uk:8080/x?y", "www.news.bbc.co.uk", "bbc.co.uk"),
        ("www.facebook.com:443", "www.facebook.com", "facebook.com"),
        ("https://user:pw@mail.google.com/mail", "mail.google.com", "google.com"),
        ("http://bücher.example/", "xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("http://[2001:db8::1]:8080/", "2001:db8::1", "2001:db8::1"),
        ("10.0.0.5:443", "10.0.0.5", "10.0.0.5"),
        ("http://intranet/", "intranet", "intranet"),
    ],
)
def test_hosts_and_domains(target: str, host: str, domain: str) -> None:
    assert hosts.host_of(target) == host
    assert hosts.domain_of(host) == domain


@pytest.mark.parametrize(
    "target", ["/just/a/path", "", "http://[red]evil[/red]/", "http://exa mple.com/", "http://evil\x1b[2J.com/"]
)
def test_no_or_bad_host(target: str) -> None:
    with pytest.raises(Reject):
        hosts.host_of(target)


def test_detection() -> None:
    assert formats.detect([SQUID, CONNECT]) == "squid"
    assert formats.detect([COMBINED, COMMON]) == "clf"
    assert formats.detect([QMGR, SMTP]) == "postfix"
    assert formats.detect(["timestamp,user,url", "1,2,3"]) == "csv"
    assert formats.detect(["\x00\x01 binary garbage", "more"]) is None
    assert formats.detect([]) is None


def test_every_format_reads_through_the_registry() -> None:
    """One shape for all: a Hit or Delivery per event line, None for a valid line that is none, Reject for a bad
    one."""
    context = formats.Context(REFERENCE, "intranet.dewerf.be")
    lines = {
        "squid": [(SQUID, Hit)],
        "clf": [(COMBINED, Hit), (COMMON, Hit)],
        "postfix": [(QMGR, None), (SMTP, postfix.Delivery)],
        "csv": [("timestamp,src_ip,user,dst_host", None), ("1762070400,10.20.0.10,iclaes,www.hln.be", Hit)],
        "visits": [
            ("user,host,start,end,requests,bytes_down", None),
            ("iclaes,www.hln.be,1762070400,1762070460,3,9", Span),
        ],
    }
    assert set(lines) == set(formats.FORMATS)
    for name, expected in lines.items():
        entry = formats.REGISTRY[name]
        assert entry.mail == (name == "postfix")
        parser = entry.parser(context)
        for line, kind in expected:
            result = parser.parse(line)
            assert result is None if kind is None else isinstance(result, kind), (name, line)
        with pytest.raises(Reject):
            parser.parse("garbage")
        assert entry.looks_like(expected[0][0])


def test_csv_header_comes_first_and_names_the_identity_columns() -> None:
    parser = formats.REGISTRY["csv"].parser(formats.Context(REFERENCE))
    with pytest.raises(Reject, match="csv_header"):
        parser.parse("when,who")  # not a header: the next line is tried as one
    assert parser.parse("Time,Source,Username,Hostname") is None
    assert parser.identity_fields == (",", (2, 1))  # the user, then the client
    assert parser.parse("2026-11-02T09:00:00+01:00,10.20.0.10,iclaes,www.hln.be").identity == "iclaes"
