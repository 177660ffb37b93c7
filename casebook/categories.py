"""Categories of sites, matched by domain suffix: a built-in map, plus lists an IT officer imports.

`categories import DIR` reads UT1-style lists (DIR/<category>/domains, one
domain a line) and keeps their attribution. Imported lists are consulted
before the built-in map, the most specific suffix first.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.plaintext import inert
from casebook.store import Store

if TYPE_CHECKING:
    from casebook.session import Session

# The categories the app knows by name (UI labels: catalogue `category.<name>`).
BUILTIN: dict[str, tuple[str, ...]] = {
    "social": (
        "facebook.com",
        "fbcdn.net",
        "instagram.com",
        "tiktok.com",
        "twitter.com",
        "x.com",
        "twimg.com",
        "snapchat.com",
        "pinterest.com",
        "reddit.com",
        "tumblr.com",
        "linkedin.com",
        "threads.net",
        "bsky.app",
        "mastodon.social",
        "whatsapp.com",
        "whatsapp.net",
        "telegram.org",
        "discord.com",
    ),
    "webmail": (
        "mail.google.com",
        "outlook.live.com",
        "mail.yahoo.com",
        "hotmail.com",
        "gmx.com",
        "gmx.net",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "telenet.be",
        "skynet.be",
        "zoho.com",
    ),
    "streaming": (
        "youtube.com",
        "googlevideo.com",
        "ytimg.com",
        "netflix.com",
        "nflxvideo.net",
        "spotify.com",
        "twitch.tv",
        "disneyplus.com",
        "primevideo.com",
        "vimeo.com",
        "deezer.com",
        "dailymotion.com",
        "vrt.be",
        "goplay.be",
        "streamz.be",
    ),
    "gambling": (
        "bet365.com",
        "unibet.be",
        "pokerstars.eu",
        "pokerstars.com",
        "betway.be",
        "napoleongames.be",
        "ladbrokes.be",
        "circus.be",
        "casino777.be",
        "bwin.be",
        "starcasino.be",
    ),
    "adult": (
        "pornhub.com",
        "xvideos.com",
        "xnxx.com",
        "xhamster.com",
        "onlyfans.com",
        "youporn.com",
        "redtube.com",
        "chaturbate.com",
    ),
    "filesharing": (
        "wetransfer.com",
        "dropbox.com",
        "mega.nz",
        "mediafire.com",
        "thepiratebay.org",
        "1fichier.com",
        "sendspace.com",
        "uploaded.net",
        "filebin.net",
        "transfer.sh",
        "box.com",
        "drive.google.com",
    ),
    "games": (
        "steampowered.com",
        "steamcommunity.com",
        "epicgames.com",
        "roblox.com",
        "miniclip.com",
        "poki.com",
        "ea.com",
        "blizzard.com",
        "chess.com",
        "king.com",
    ),
    "news": (
        "hln.be",
        "nieuwsblad.be",
        "standaard.be",
        "demorgen.be",
        "tijd.be",
        "nos.nl",
        "bbc.co.uk",
        "bbc.com",
        "cnn.com",
        "lesoir.be",
        "rtbf.be",
    ),
    "shopping": (
        "amazon.com",
        "amazon.de",
        "amazon.fr",
        "amazon.nl",
        "bol.com",
        "coolblue.be",
        "zalando.be",
        "ebay.com",
        "2dehands.be",
        "aliexpress.com",
        "temu.com",
        "vinted.be",
    ),
    "malware": ("malware.testing.google.test", "eicar.org", "wicar.org", "testsafebrowsing.appspot.com"),
    "hacking": ("exploit-db.com", "hackforums.net", "0day.today", "cracked.io", "nulled.to"),
    "hate": ("stormfront.org", "dailystormer.in"),
}
UNCATEGORISED = None

_BUILTIN_INDEX = {domain: category for category, domains in BUILTIN.items() for domain in domains}


def _suffixes(host: str) -> list[str]:
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def categorise(store: Store, host: str) -> str | None:
    """The category of a host: imported lists first, then the built-in map, most specific suffix first."""
    suffixes = _suffixes(host) or [host]
    marks = ", ".join("?" * len(suffixes))
    rows = store.conn.execute(
        f"SELECT domain, category FROM category_domains WHERE domain IN ({marks})", suffixes
    ).fetchall()
    if rows:
        found = {domain: category for domain, category in rows}
        for suffix in suffixes:
            if suffix in found:
                return str(found[suffix])
    for suffix in suffixes:
        if suffix in _BUILTIN_INDEX:
            return _BUILTIN_INDEX[suffix]
    return UNCATEGORISED


@dataclass(frozen=True)
class Skipped:
    category: str
    line_no: int
    text: str  # as in the file, made inert and cut short


@dataclass(frozen=True)
class ListImport:
    name: str
    categories: int
    domains: int
    attribution: str
    skipped: int = 0  # lines that are no domain (reported, not silently dropped)
    samples: tuple[Skipped, ...] = ()


UT1_ATTRIBUTION = "UT1 blacklists, Fabrice Prigent, Université Toulouse 1 Capitole (CC BY-SA 4.0)"
KEPT_SAMPLES = 20
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_UT1_MARKS = ("ut1", "toulouse", "prigent")


def valid_domain(text: str) -> str | None:
    """The domain a list line names (lower case, IDN as punycode, an IP address as such), or None."""
    candidate = text.strip().lower().removeprefix(".")
    if not candidate or len(candidate) > 253:
        return None
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        pass
    try:
        candidate = candidate.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = candidate.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None  # empty labels (evil..com), wildcards (*.x.com), paths (/../etc)
    return candidate


def _attribution(folder: Path, given: str | None) -> str:
    """Whose lists these are: as given, else as the lists' own files say, never invented for a folder."""
    if given and given.strip():
        return " ".join(given.split())[:300]
    for candidate in ("LICENSE", "LICENCE", "COPYRIGHT", "README", "README.md", "global_usage"):
        path = folder / candidate
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            first = next((line.strip() for line in text.splitlines() if line.strip()), "")
            if any(mark in text.lower() for mark in _UT1_MARKS):
                return f"{UT1_ATTRIBUTION}; {inert(first)[:200]}" if first else UT1_ATTRIBUTION
            if first:
                return inert(first)[:300]
    return t("categories.no_attribution", folder=folder.name)


def import_lists(session: Session, folder: Path, name: str | None = None, attribution: str | None = None) -> ListImport:
    """Read DIR/<category>/domains; replaces an earlier import of the same name, all or nothing.

    A line that names no domain (empty labels, a wildcard, a path) is skipped and reported.
    """
    session.require(Action.MANAGE_CATEGORIES)
    if not folder.is_dir():
        raise Refused("categories.folder", "refused.categories_folder", path=str(folder))
    lists = sorted(p for p in folder.iterdir() if (p / "domains").is_file() and _LABEL.match(p.name.lower()))
    if not lists:
        raise Refused("categories.folder", "refused.categories_empty", path=str(folder))
    name = name or folder.name
    source = _attribution(folder, attribution)
    store = session.casebook.store
    count = skipped = 0
    samples: list[Skipped] = []
    with store.transaction():
        store.conn.execute("DELETE FROM category_sources WHERE name = ?", (name,))
        cursor = store.conn.execute(
            "INSERT INTO category_sources (name, attribution, imported_at, domains) VALUES (?, ?, ?, 0)",
            (name, source, clocks.to_text(session.now())),
        )
        source_id = cursor.lastrowid
        for category_dir in lists:
            category = category_dir.name.lower()
            with (category_dir / "domains").open("r", encoding="utf-8", errors="replace") as handle:
                batch = []
                for line_no, line in enumerate(handle, start=1):
                    text = line.strip()
                    if not text or text.startswith("#"):
                        continue
                    domain = valid_domain(text)
                    if domain is None:
                        skipped += 1
                        if len(samples) < KEPT_SAMPLES:
                            samples.append(Skipped(category, line_no, inert(text)[:120]))
                        continue
                    batch.append((domain, category, source_id))
                    if len(batch) >= 50_000:
                        count += _insert(store, batch)
                        batch.clear()
                count += _insert(store, batch)
        store.conn.execute("UPDATE category_sources SET domains = ? WHERE id = ?", (count, source_id))
        session.audit("categories.imported", name, {"categories": len(lists), "domains": count, "skipped": skipped})
    return ListImport(name, len(lists), count, source, skipped, tuple(samples))


def _insert(store: Store, batch: list[tuple[str, str, int | None]]) -> int:
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT OR IGNORE INTO category_domains (domain, category, source_id) VALUES (?, ?, ?)", batch
    )
    return store.conn.total_changes - before
