"""Categories of sites, matched by domain suffix: a built-in map, plus lists an IT officer imports.

`categories import DIR` reads UT1-style lists (DIR/<category>/domains, one
domain a line) and keeps their attribution. Imported lists are consulted
before the built-in map, the most specific suffix first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.permissions import Action
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
class ListImport:
    name: str
    categories: int
    domains: int
    attribution: str


UT1_ATTRIBUTION = "UT1 blacklists, Fabrice Prigent, Université Toulouse 1 Capitole (CC BY-SA 4.0)"


def import_lists(session: Session, folder: Path, name: str | None = None) -> ListImport:
    """Read DIR/<category>/domains; replaces an earlier import of the same name, all or nothing."""
    session.require(Action.MANAGE_CATEGORIES)
    if not folder.is_dir():
        raise Refused("categories.folder", "refused.categories_folder", path=str(folder))
    lists = sorted(p for p in folder.iterdir() if (p / "domains").is_file())
    if not lists:
        raise Refused("categories.folder", "refused.categories_empty", path=str(folder))
    name = name or folder.name
    attribution = UT1_ATTRIBUTION
    for candidate in ("LICENSE", "README", "README.md", "LICENCE"):
        if (folder / candidate).is_file():
            first = (folder / candidate).read_text("utf-8", errors="replace").strip().splitlines()
            attribution = f"{UT1_ATTRIBUTION}; {first[0][:200]}" if first else attribution
            break
    store = session.casebook.store
    count = 0
    with store.transaction():
        store.conn.execute("DELETE FROM category_sources WHERE name = ?", (name,))
        cursor = store.conn.execute(
            "INSERT INTO category_sources (name, attribution, imported_at, domains) VALUES (?, ?, ?, 0)",
            (name, attribution, clocks.to_text(session.now())),
        )
        source_id = cursor.lastrowid
        for category_dir in lists:
            category = category_dir.name.lower()
            with (category_dir / "domains").open("r", encoding="utf-8", errors="replace") as handle:
                batch = []
                for line in handle:
                    domain = line.strip().lower().lstrip(".")
                    if not domain or domain.startswith("#") or " " in domain:
                        continue
                    batch.append((domain, category, source_id))
                    if len(batch) >= 50_000:
                        count += _insert(store, batch)
                        batch.clear()
                count += _insert(store, batch)
        store.conn.execute("UPDATE category_sources SET domains = ? WHERE id = ?", (count, source_id))
        session.audit("categories.imported", name, {"categories": len(lists), "domains": count})
    return ListImport(name, len(lists), count, attribution)


def _insert(store: Store, batch: list[tuple[str, str, int | None]]) -> int:
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT OR IGNORE INTO category_domains (domain, category, source_id) VALUES (?, ?, ?)", batch
    )
    return store.conn.total_changes - before
