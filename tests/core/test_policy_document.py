"""The default policy is the seed template, whole: every part, section, note and blank found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.errors import Refused
from casebook.policy import document, fields, versions
from schema.policy import PolicySettings

SEED = Path(__file__).resolve().parents[1] / "data" / "policy-template.nl.txt"
PARTS = {
    "REGELS OVER HET GEBRUIK VAN INTERNET, SOCIALE MEDIA EN E-MAIL": "gebruik",
    "REGELS OVER DE CONTROLE OP HET GEBRUIK BINNEN DE WERKTIJD": "controle",
    "BIJLAGE:": "gedragscode",
    "ONTVANGSTBEWIJS": "ontvangstbewijs",
}


def seed_sections() -> list[tuple[str, str, str]]:
    """(part id, number, title) of every numbered heading in the seed, read straight from its text."""
    found = []
    part = ""
    for line in SEED.read_text("utf-8").splitlines():
        text = line.strip()
        if text in PARTS:
            part = PARTS[text]
            continue
        match = re.match(r"^(\d+(?:\.\d+)*)\.?\s*(\S.*)$", text)
        # The numbered purposes in controle 2.1 are long sentences, not headings.
        if match and part and len(text) < 80:
            found.append((part, match.group(1), " ".join(match.group(2).split())))
    return found


@pytest.fixture(scope="module")
def default() -> document.Document:
    return document.parse(versions.default_text())


def test_seed_reading_finds_sections() -> None:
    assert len(seed_sections()) == 23  # the helper below must not silently find nothing


def test_every_seed_section_is_in_the_default_policy(default: document.Document) -> None:
    parsed = {(s.key.split("/")[0], s.number, s.title) for s in default.sections if s.number}
    for part, number, title in seed_sections():
        assert (part, number, title) in parsed, (part, number, title)
    assert [s.key for s in default.sections if s.level == 1] == list(PARTS.values())


def test_every_seed_footnote_is_kept_beside_its_text(default: document.Document) -> None:
    seed_notes = set(re.findall(r"\[footnoteRef:(\d+)\]", SEED.read_text("utf-8")))
    assert set(default.notes) == seed_notes
    referenced = [ref for block in default.blocks() for ref in block.notes]
    referenced += document.NOTE_REF.findall(default.title)
    assert sorted(referenced, key=int) == sorted(seed_notes, key=int)


def test_every_blank_of_the_seed_is_a_field(default: document.Document) -> None:
    seed = SEED.read_text("utf-8")
    text = versions.default_text()
    assert seed.count("(naam organisatie)") == text.count("{{organisation_name}}")
    assert seed.count("organisatienaam.be") == text.count("{{mail_domain}}")
    assert seed.count("Schrappen wat niet past") == 2  # consultation and evaluation bodies
    assert {"consultation_body", "evaluation_body"} <= default.placeholders
    assert default.placeholders == set(fields.PLACEHOLDERS)
    # The only dots left are the text's own: "(pc, smartphone, tablet, …)" and two "…. (naam werknemer)".
    assert text.count("…") == 3


def test_purposes_are_fenced(default: document.Document) -> None:
    purposes = sorted({b.purpose for b in default.blocks() if b.purpose is not None})
    assert purposes == [1, 2, 3, 4]
    section = default.find("controle/2.1")[0]
    assert all(b.purpose is not None for b in section.blocks[1:])


def test_find_by_key_number_and_part(default: document.Document) -> None:
    assert [s.key for s in default.find("controle/2.5")] == ["controle/2.5"]
    assert [s.key for s in default.find("2.1")] == ["gebruik/2.1", "controle/2.1"]
    assert default.find("gedragscode")[0].level == 1
    assert default.find("9.9") == []
    part = default.find("controle")[0]
    assert [s.key for s in default.within(part)][-1] == "controle/2.6"


def test_segments_fill_and_flag() -> None:
    settings = PolicySettings(organisation_name="vzw De Werf")
    line = "met {{organisation_name}} vanaf {{date_in_force}}[^9] door {{employee_name}}"
    kinds = [(s.kind, s.text) for s in document.segments(line, settings)]
    assert kinds == [
        ("text", "met "),
        ("field", "vzw De Werf"),
        ("text", " vanaf "),
        ("missing", "date_in_force"),
        ("note", "[9]"),
        ("text", " door "),
        ("receipt", "employee_name"),
    ]
    filled = document.segments("{{employee_name}}", settings, {"employee_name": "Eva"})
    assert filled == [document.Segment("field", "Eva", "employee_name")]


def test_purpose_not_adopted_is_left_out() -> None:
    block = document.Block("paragraph", ("x",), 1, purpose=4)
    assert not document.visible(block, PolicySettings(purposes=(1, 2, 3)))
    assert document.visible(block, PolicySettings(purposes=(4,)))


# -- an organisation's own text ---------------------------------------------------

OWN = """# Onze policy

## REGELS {#regels}

### 1. Algemeen

{{organisation_name}} controleert alleen globaal.[^1]

- eerste punt
- tweede punt

[^1]: Een noot
    over twee regels.
"""


def test_own_text_parses() -> None:
    doc = document.parse(OWN)
    assert [s.key for s in doc.sections] == ["regels", "regels/1"]
    assert doc.placeholders == {"organisation_name"}
    assert doc.notes["1"] == "Een noot\nover twee regels."
    assert [b.kind for b in doc.sections[1].blocks] == ["paragraph", "list"]
    assert doc.sections[1].blocks[1].lines == ("eerste punt", "tweede punt")


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("Alleen een zin zonder hoofdstukken.\n", "refused.policy_no_sections", None),
        ("# T\n\n## DEEL\n\n", "refused.policy_no_sections", None),
        (OWN.replace("{{organisation_name}}", "{{naam_bedrijf}}"), "refused.policy_unknown_placeholder", 7),
        (OWN.replace("[^1]: Een noot", "[^2]: Een noot"), "refused.policy_note_missing", 7),
        (OWN + "\n### 1. Algemeen\n", "refused.policy_section_twice", 15),
        (OWN + "\n::: purpose 2\nx\n", "refused.policy_fence_open", 15),
        (OWN + "\n:::\n", "refused.policy_fence_stray", 15),
        (OWN + "\n# Tweede titel\n", "refused.policy_second_title", 15),
    ],
    ids=[
        "no-sections",
        "part-only",
        "unknown-field",
        "note-missing",
        "section-twice",
        "fence-open",
        "fence-stray",
        "second-title",
    ],
)
def test_malformed_text_is_refused_with_its_line(text: str, key: str, line: int | None) -> None:
    with pytest.raises(Refused) as refusal:
        document.parse(text)
    assert refusal.value.key == key
    assert refusal.value.rule == "policy.format"
    if line is not None:
        assert refusal.value.params["line"] == line
        assert f"regel {line}" in refusal.value.message


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("# T\n\n## A {#a}\n\n### 1. S\n\n::: purpose 9\nx\n:::\n", "refused.policy_unknown_purpose", 7),
        ("# T\n\n## A {#a}\n\n### 1. S\n\nTekst met een bel \x07.\n", "refused.policy_control_char", 7),
        ("# T\n\n## A {#a}\n\n### 1. S[^9]\n\nTekst.\n", "refused.policy_note_missing", 5),
    ],
)
def test_hostile_texts_are_refused_at_their_line(text: str, key: str, line: int) -> None:
    with pytest.raises(Refused) as refusal:
        document.parse(text)
    assert refusal.value.key == key
    assert refusal.value.params["line"] == line


def test_a_note_refers_to_a_missing_note(book: object) -> None:
    with pytest.raises(Refused) as refusal:
        document.parse("# T\n\n## A {#a}\n\n### 1. S\n\nTekst[^1].\n\n[^1]: zie ook [^2]\n")
    assert refusal.value.key == "refused.policy_note_missing_in_note"


def test_a_stored_text_with_a_control_character_still_reads() -> None:
    parsed = document.parse("# T\n\n## A {#a}\n\n### 1. S\n\nBel \x07 hier.\n", strict=False)
    assert "\ufffd" in parsed.sections[-1].blocks[0].lines[0]
