"""The GDPR's documents: the organisation's facts in, no person in any format, versions kept, who may do what."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from casebook import employees, exports
from casebook.book import Casebook
from casebook.documents import archive, export, gdpr, render_md, render_pdf, reports, template
from casebook.documents.model import About, Body, Bullets, Document, Highlight, Paragraph, Section, Table, ToComplete
from casebook.errors import Refused
from casebook.policy import versions
from casebook.session import Session
from tests.conftest import ADMIN, NOW
from tests.core.test_policy_versions import READY

KINDS = ("notice", "processing-record", "dpia")


def pdf_text(data: bytes) -> str:
    """The text a PDF shows, its lines joined by single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def md_text(data: bytes) -> str:
    return " ".join(data.decode("utf-8").split())


def every_format(kept: archive.Kept) -> Iterator[tuple[str, str]]:
    yield "md", md_text(kept.render("md"))
    yield "pdf", pdf_text(kept.render("pdf"))


# -- what the casebook knows goes in -------------------------------------------------------------


@pytest.fixture
def demo_admin(demo_book: Casebook) -> Session:
    return demo_book.login("an", "demo-pass-an")


@pytest.fixture
def made(demo_admin: Session) -> dict[str, archive.Kept]:
    return {kind: archive.make(demo_admin, kind).kept for kind in KINDS}


def test_each_document_holds_the_organisations_facts(made: dict[str, archive.Kept], demo_admin: Session) -> None:
    policy = versions.read(demo_admin)
    settings = policy.settings
    expected = {
        "notice": [
            settings.organisation_name,
            settings.controller_contact,
            f"{settings.retention_days} dagen",
            settings.storage_location,
            "toezichthoudend personeel",
            "ict-verantwoordelijke",
            "raad van bestuur",
            "6.1.f",
        ],
        "processing-record": [
            settings.organisation_name,
            settings.controller_contact,
            f"{settings.retention_days} dagen",
            settings.storage_location,
            "toezichthoudend personeel",
            "ict-verantwoordelijke",
            "raad van bestuur",
            settings.control_means,
        ],
        "dpia": [
            settings.organisation_name,
            f"{settings.retention_days} dagen",
            settings.storage_location,
            "de ondernemingsraad",  # the consultation body of the demo's policy
            "in de ondernemingsraad",  # ... and its evaluation body
            "20 januari 2026",  # the day it was informed
            settings.control_means,
        ],
    }
    assert settings.purposes == (1, 2, 3, 4)
    purposes = [
        "ongeoorloofde of lasterlijke feiten",
        "handels- en financiële belangen",
        "ic-netwerksystemen",
        "te goeder trouw",
    ]
    for kind, kept in made.items():
        assert kept.policy_version == policy.version
        for fmt, text in every_format(kept):
            for fact in [*expected[kind], *purposes]:
                assert fact in text, (kind, fmt, fact)
            # The header: the document reads on its own.
            for header in (
                "Organisatie: vzw De Werf",
                "Gemaakt door: an",
                f"Gemaakt uit policyversie: {policy.version}",
            ):
                assert header.replace(":", ":**") in text or header in text, (kind, fmt, header)
            assert "28 november 2026 om 10:00" in text, (kind, fmt)


def test_no_person_appears_in_any_format(made: dict[str, archive.Kept], demo_book: Casebook) -> None:
    store = demo_book.store
    people = store.query("SELECT name, email FROM employees")
    identifiers = [str(r["value"]) for r in store.query("SELECT value FROM identifiers")]
    tokens = [str(r["token"]) for r in store.query("SELECT token FROM pseudonyms")]
    full_names = [str(r["full_name"]) for r in store.query("SELECT full_name FROM users WHERE full_name != ''")]
    assert len(people) == 12 and identifiers and len(tokens) > 5  # the demo holds people to leak
    forbidden = [*(str(p["name"]) for p in people), *(str(p["email"]) for p in people), *identifiers, *full_names]
    for kind, kept in made.items():
        for fmt, text in every_format(kept):
            lowered = text.lower()
            for value in forbidden:
                assert value.lower() not in lowered, (kind, fmt, value)
            for token in tokens:
                assert token[:16] not in lowered, (kind, fmt)
            # Nothing shaped like an IP address either.
            assert not re.search(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", text), (kind, fmt)


def test_only_adopted_purposes_are_named(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "purposes": "1,3"})
    for kind in KINDS:
        text = md_text(archive.make(admin, kind).kept.render("md"))
        assert "ongeoorloofde of lasterlijke feiten" in text and "ic-netwerksystemen" in text, kind
        assert "handels- en financiële belangen" not in text and "te goeder trouw" not in text, kind
        assert "alarmbel" not in text.lower() and "doelstelling 4" not in text, kind


def test_the_notice_sets_the_right_to_object_apart_and_names_the_authority(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "controller_contact": "privacy@dewerf.be"})
    notice = archive.make(admin, "notice").kept.document
    objection = [s for s in notice.body.sections if "bezwaar" in s.title.lower()]
    assert len(objection) == 1
    assert [type(b) for b in objection[0].blocks] == [Highlight]
    assert "21" in objection[0].blocks[0].text and "privacy@dewerf.be" in objection[0].blocks[0].text
    # Objection is nowhere else among the rights: it stands on its own.
    rights = next(s for s in notice.body.sections if s.title.endswith("Je rechten"))
    assert not any("bezwaar" in text.lower() for b in rights.blocks for text in render_md._block(b))
    text = " ".join(notice.body.texts())
    for fact in (
        "Gegevensbeschermingsautoriteit",
        "Drukpersstraat 35, 1000 Brussel",
        "www.gegevensbeschermingsautoriteit.be",
    ):
        assert fact in text
    assert "geen geautomatiseerde besluitvorming" in text.lower()
    for right in ("inzage", "verbetering", "wissing", "beperking"):
        assert right in text
    markdown = archive.get(admin, "notice").markdown
    assert "\n> Je hebt het recht om op elk moment bezwaar te maken" in markdown


def test_the_record_lists_the_casebooks_own_security_measures(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    text = " ".join(archive.make(admin, "processing-record").kept.document.body.texts())
    for measure in ("pseudonimisering", "HMAC-SHA256", "apart sleutelbestand", "eerst globaal", "vier ogen", "auditspoor",
                    "0600", "90 dagen"):  # fmt: skip
        assert measure in text, measure
    assert "Doorgifte naar derde landen" in text and "Geen." in text


def test_the_dpia_marks_what_the_organisation_must_complete(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    dpia = archive.make(admin, "dpia").kept
    questions = [b for s in dpia.document.body.sections for b in s.blocks if isinstance(b, ToComplete)]
    assert len(questions) >= 6
    assert any("35.9" in q.text and "de ondernemingsraad en de vakbondsafvaardiging" in q.text for q in questions)
    risks = next(
        b for s in dpia.document.body.sections for b in s.blocks if isinstance(b, Table) and len(b.headers) == 3
    )
    assert len(risks.rows) >= 6 and all(row[2] == "☐ te beoordelen" for row in risks.rows)
    assert any("pseudonimisering" in row[1] for row in risks.rows)
    markdown = dpia.markdown
    assert markdown.count("- [ ] **Te vervolledigen door de organisatie:**") == len(questions)
    assert "Te vervolledigen door de organisatie:" in pdf_text(dpia.render("pdf"))
    # Neither a permanent control nor a long retention here: no question about them.
    assert "permanente controle" not in markdown and "drie maanden" not in markdown


def test_the_dpia_asks_about_a_permanent_control_and_a_long_retention(book: Casebook, admin: Session) -> None:
    versions.update_settings(
        admin,
        {**READY, "control_mode": "permanent", "control_justification": "een netwerk met gevoelige gegevens.",
         "retention_days": "180"},
    )  # fmt: skip
    text = " ".join(archive.make(admin, "dpia").kept.document.body.texts())
    assert "De verantwoording in de policy luidt: een netwerk met gevoelige gegevens" in text
    assert "De bewaartermijn van 180 dagen is langer dan de drie maanden" in text


def test_a_fact_not_filled_in_shows_as_a_blank_and_is_listed(book: Casebook, admin: Session) -> None:
    notice = archive.make(admin, "notice").kept
    assert {"organisation_name", "controller_contact", "retention_days", "storage_location", "purposes"} <= set(
        notice.document.missing
    )
    assert "dpo_contact" not in notice.document.missing  # optional: the notice leaves it out
    text = md_text(notice.render("md"))
    assert "[in te vullen: contactgegevens van de werkgever" in text
    assert "Organisatie:** [in te vullen: naam van de organisatie" in text


# -- kept as versions ----------------------------------------------------------------------------


def test_a_new_version_only_when_the_content_changes(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    first = archive.make(admin, "notice")
    assert first.new and first.kept.version == 1
    again = archive.make(admin, "notice")
    assert not again.new and again.kept.version == 1
    # Working hours are not in the notice: a new policy version, the same notice.
    versions.update_settings(admin, {"working_hours": "08:00-16:00"})
    assert not archive.make(admin, "notice").new
    changed = versions.update_settings(admin, {"retention_days": "60"})
    second = archive.make(admin, "notice")
    assert second.new and second.kept.version == 2 and second.kept.policy_version == changed.version
    assert "60 dagen" in second.kept.markdown
    # The first version is kept exactly as it was made.
    assert archive.get(admin, "notice", 1).markdown == first.kept.markdown
    assert "90 dagen" in archive.get(admin, "notice", 1).markdown
    assert [v.version for v in archive.history(admin, "notice")] == [2, 1]
    rows = [r for r in book.audit_rows(admin, limit=20) if r.action == "document.made"]
    assert [r.subject for r in rows] == ["notice/v2", "notice/v1"]


def test_an_earlier_version_renders_as_pdf_from_what_was_kept(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    archive.make(admin, "processing-record")
    versions.update_settings(admin, {"storage_location": "een andere server"})
    archive.make(admin, "processing-record")
    old = pdf_text(archive.get(admin, "processing-record", 1).render("pdf"))
    assert "de centrale server" in old and "een andere server" not in old
    assert "Versie van dit document: 1" in old


def test_a_missing_version_is_refused_by_its_rule(book: Casebook, admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        archive.get(admin, "notice")
    assert refusal.value.rule == "documents.made"
    assert archive.latest(admin, "notice") is None
    with pytest.raises(Refused) as unknown:
        reports.kind("payslip")
    assert unknown.value.rule == "documents.kind"


# -- who may ---------------------------------------------------------------------------------------


def test_only_the_administrator_makes_a_version(people: dict[str, Session]) -> None:
    for name in ("ilse", "sofie", "bert", "eva", "jan"):
        with pytest.raises(Refused) as refusal:
            archive.make(people[name], "notice")
        assert refusal.value.rule == "role.required", name


def test_everyone_reads_the_notice_and_only_some_the_record_and_the_dpia(people: dict[str, Session]) -> None:
    for kind in KINDS:
        archive.make(people[ADMIN], kind)
    readers = {
        "notice": {ADMIN, "ilse", "sofie", "bert", "eva", "jan"},
        "processing-record": {ADMIN, "sofie", "bert", "jan"},
    }
    readers["dpia"] = readers["processing-record"]
    for kind in KINDS:
        for name, session in people.items():
            if name in readers[kind]:
                assert archive.produce(session, kind).kept.version == 1, (kind, name)
            else:
                with pytest.raises(Refused) as refusal:
                    archive.produce(session, kind)
                assert refusal.value.rule == "role.required", (kind, name)
    assert [s.kind.name for s in archive.overview(people["eva"])] == ["notice"]
    assert [(s.kind.name, s.may_make) for s in archive.overview(people["bert"])] == [
        ("notice", False),
        ("processing-record", False),
        ("dpia", False),
    ]
    assert all(s.may_make for s in archive.overview(people[ADMIN]))


def test_a_reader_gets_the_newest_kept_version_not_a_new_one(people: dict[str, Session]) -> None:
    versions.update_settings(people[ADMIN], READY)
    archive.make(people[ADMIN], "notice")
    versions.update_settings(people[ADMIN], {"retention_days": "30"})
    seen = archive.produce(people["eva"], "notice")
    assert not seen.new and seen.kept.version == 1 and "90 dagen" in seen.kept.markdown


# -- templates and renderers -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_template_fills_with_nothing_known_and_with_everything(kind: str, book: Casebook, admin: Session) -> None:
    empty = template.fill(template.template_text(kind), gdpr.facts(versions.read(admin)))
    versions.update_settings(admin, {**READY, "dpo_contact": "dpo@dewerf.be", "controller_contact": "privacy@x.be"})
    full, missing = template.fill(template.template_text(kind), gdpr.facts(versions.read(admin)))
    assert empty[1] and not missing
    assert full.sections and all(s.blocks for s in full.sections)
    assert not any("{{" in text or "}}" in text or ":::" in text for text in full.texts())


def test_a_value_never_becomes_structure() -> None:
    text = "# Titel\n\n## Deel\n\nVan {{organisation_name}}.\n\n- {{items}}\n"
    facts: dict[str, template.Fact] = {"organisation_name": "# Kop | cel | ::: if x", "items": ("- a", "| b |")}
    body, missing = template.fill(text, facts)
    assert not missing
    assert [s.title for s in body.sections] == ["Deel"]
    assert body.sections[0].blocks == (Paragraph(text="Van # Kop | cel | ::: if x."), Bullets(items=("- a", "| b |")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# T\n\n{{nobody}}\n", "unknown fact"),
        ("# T\n\n::: if nobody\nx\n:::\n", "unknown fact"),
        ("# T\n\n::: purpose 2\nx\n", "never closed"),
        ("# T\n\n:::\n", "closes no fence"),
        ("Geen titel\n", "no title"),
        ("# T\n\n| a | b |\n| c |\n", "cells"),
    ],
)
def test_a_broken_template_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(template.TemplateError, match=message):
        template.fill(text, {"organisation_name": "x"})


def sample(text: str) -> Document:
    about = About(organisation="vzw Één – €", made_at=NOW, made_by="an", policy_version=3, version=2)
    body = Body(
        title="Überschrift: ë – € ’",
        intro=(Paragraph(text=text),),
        sections=(
            Section(
                title="Deel",
                blocks=(
                    Bullets(items=("één", "twee")),
                    Table(headers=("a", "b"), rows=(("c", "d"),)),
                    Highlight(text="apart"),
                    ToComplete(text="open vraag"),
                ),
            ),
        ),
    )
    return Document(kind="notice", about=about, body=body)


def test_the_pdf_writes_dutch_characters_and_the_header() -> None:
    data = render_pdf.render(sample("Geëvalueerd – € 12,50 ‘citaat’ café"))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Geëvalueerd – € 12,50 ‘citaat’ café" in text
    assert "Überschrift: ë – € ’" in text
    assert "Organisatie: vzw Één – €" in text and "Versie van dit document: 2" in text
    assert "pagina 1 van 1" in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for f in (reader.pages[0]["/Resources"]["/Font"].get_object().values())}
    assert any("DejaVuSans" in font for font in fonts), fonts
    assert reader.metadata is not None and reader.metadata.title == "Überschrift: ë – € ’"


def test_markdown_keeps_values_literal() -> None:
    markdown = render_md.render(sample("# niet een kop, *geen* nadruk, <b>geen html</b>"))
    assert "\n\\# niet een kop, \\*geen\\* nadruk, \\<b>geen html\\</b>\n" in markdown
    assert markdown.startswith("# Überschrift: ë – € ’\n")
    assert "- **Versie van dit document:** 2" in markdown
    assert "- [ ] **Te vervolledigen door de organisatie:** open vraag" in markdown


def test_the_format_must_be_known(book: Casebook, admin: Session) -> None:
    document = reports.build(admin, "notice")
    with pytest.raises(Refused) as refusal:
        reports.render(document, "docx")
    assert refusal.value.rule == "documents.format"


# -- writing a file ----------------------------------------------------------------------------------


def test_an_export_never_writes_over_the_casebooks_own_files(book: Casebook, admin: Session, tmp_path: Path) -> None:
    # The documents write through the one helper every export uses (casebook.exports).
    files = book.files
    key_before = files.key.read_bytes()
    link = tmp_path / "innocent.md"
    link.symlink_to(files.key)
    for target in (files.db, files.key, link, files.home / "notes.md", Path(f"{files.db}-wal")):
        for force in (False, True):
            with pytest.raises(Refused) as refusal:
                exports.write_export(admin, reports.kind("notice").read, target, b"x", force=force)
            assert refusal.value.rule == "files.own", target
    assert files.key.read_bytes() == key_before


def test_an_export_overwrites_only_when_asked(book: Casebook, admin: Session, tmp_path: Path) -> None:
    folder = tmp_path / "elders"
    folder.mkdir()
    target = folder / "out.md"
    reading = reports.kind("notice").read
    written = exports.write_export(admin, reading, target, b"first")
    assert written == target and target.read_bytes() == b"first"
    assert (target.stat().st_mode & 0o777) == 0o600
    with pytest.raises(Refused) as refusal:
        exports.write_export(admin, reading, target, b"second")
    assert refusal.value.rule == "files.overwrite" and target.read_bytes() == b"first"
    exports.write_export(admin, reading, target, b"second", force=True)
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in folder.iterdir()) == ["out.md"]  # no temporary file left
    with pytest.raises(Refused) as error:
        exports.write_export(admin, reading, folder, b"x", force=True)
    assert error.value.key == "refused.output_is_folder"


def test_the_app_exports_into_the_casebooks_exports_folder(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    archive.make(admin, "notice")
    first = export.export_to_folder(admin, "notice", "pdf")
    second = export.export_to_folder(admin, "notice", "pdf")
    markdown = export.export_to_folder(admin, "notice", "md")
    folder = book.files.home / "exports"  # the setting exports_folder's default
    assert (first.parent, first.name) == (folder, "privacyverklaring-v1.pdf")
    assert second.name == "privacyverklaring-v1-2.pdf" and markdown.name == "privacyverklaring-v1.md"
    assert first.read_bytes().startswith(b"%PDF-")
    assert markdown.read_text("utf-8") == archive.get(admin, "notice").markdown
    assert (os.stat(folder).st_mode & 0o777) == 0o700


def test_a_document_without_a_directory_still_says_nobody(book: Casebook, admin: Session) -> None:
    """The documents never read the directory: adding people changes nothing in them."""
    versions.update_settings(admin, READY)
    before = archive.make(admin, "notice").kept
    report = employees.import_csv(admin, "name,email\nMia Wouters,mia@dewerf.be\n")
    assert report.saved
    after = archive.make(admin, "notice")
    assert not after.new and after.kept.version == before.version
    assert "Mia" not in after.kept.markdown and "mia@dewerf.be" not in after.kept.markdown


def test_the_overview_tells_the_maker_whether_a_document_is_current(book: Casebook, people: dict[str, Session]) -> None:
    admin = people[ADMIN]
    versions.update_settings(admin, READY)
    archive.make(admin, "notice")
    shelves = {s.kind.name: s for s in archive.overview(admin)}
    assert shelves["notice"].current is True and shelves["dpia"].current is False and shelves["dpia"].newest is None
    assert "controller_contact" in shelves["notice"].missing
    versions.update_settings(admin, {"controller_contact": "privacy@dewerf.be"})
    notice = next(s for s in archive.overview(admin) if s.kind.name == "notice")
    assert notice.current is False and "controller_contact" not in notice.missing
    # A reader is not told: it is not theirs to make.
    assert [(s.current, s.missing) for s in archive.overview(people["bert"])] == [(None, ())] * 3
