"""One catalogue, both languages complete, and every key the code names present."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from casebook import i18n
from casebook.errors import Refused
from casebook.permissions import Action
from schema.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def fields(text: str | dict[str, str]) -> set[str]:
    """The placeholders of a message; of a plural message, those of its forms together."""
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def test_every_message_in_both_languages_with_the_same_placeholders() -> None:
    for key, entry in i18n.catalogue().items():
        assert set(entry) == set(i18n.LANGUAGES), key
        assert fields(entry["nl"]) == fields(entry["en"]), key


def test_plural_messages_pick_their_form_and_write_the_count() -> None:
    assert i18n.t("overview.totals.users", count=1) == "1 gebruiker"
    assert i18n.t("overview.totals.users", count=12345) == "12.345 verschillende gebruikers"
    assert i18n.t("overview.totals.users", count=0) == "0 verschillende gebruikers"
    i18n.set_language("en")
    assert i18n.t("overview.totals.requests", count=1) == "1 request"
    assert i18n.t("overview.totals.requests", count=12345) == "12,345 requests"
    with pytest.raises(TypeError):
        i18n.t("overview.totals.requests", count="12")


def test_roles_and_actions_have_names() -> None:
    catalogue = i18n.catalogue()
    for role in Role:
        assert f"role.{role.value}" in catalogue
    for action in Action:
        assert f"action.{action.value}" in catalogue


def test_every_key_named_in_the_code_exists() -> None:
    """Literal keys passed to t(), CasebookError, Refused and bindings must be in the catalogue."""
    catalogue = i18n.catalogue()
    key = r"""["']([a-z_]+\.[a-z_.]+)["']"""
    patterns = [
        re.compile(r"\bt\(\s*" + key),
        re.compile(r"CasebookError\(\s*" + key),
        re.compile(r"""Refused\(\s*["'][a-z_.]+["'],\s*""" + key),
        re.compile(r"""Binding\([^)]*?,\s*["'][^"']+["'],\s*""" + key),
    ]
    seen = 0
    missing = set()
    for folder in ("casebook", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text("utf-8")
            for pattern in patterns:
                for name in pattern.findall(text):
                    seen += 1
                    if name not in catalogue:
                        missing.add(f"{path.name}: {name}")
    assert seen > 50, "the patterns found too few keys: they are broken"
    assert not missing, sorted(missing)


def test_every_rule_named_in_the_code_has_a_name() -> None:
    catalogue = i18n.catalogue()
    pattern = re.compile(r"""Refused\(\s*["']([a-z_.]+)["']""")
    rules = set()
    for path in (ROOT / "casebook").rglob("*.py"):
        rules.update(pattern.findall(path.read_text("utf-8")))
    assert rules, "no rules found: the pattern is broken"
    for rule in rules:
        assert f"rule.{rule}" in catalogue, rule


def test_language_switch() -> None:
    refusal = Refused("signin.credentials", "refused.bad_credentials")
    assert "verkeerde wachtwoordzin" in refusal.message
    i18n.set_language("en")
    assert refusal.message == "Refused by the rule 'sign-in': unknown user or wrong passphrase."


def test_unknown_language_refused() -> None:
    with pytest.raises(ValueError, match="nl, en"):
        i18n.set_language("fr")


def test_unknown_key_shows_itself() -> None:
    assert i18n.t("no.such.key") == "no.such.key"


def test_domains_are_shown_as_people_write_them() -> None:
    from casebook.formatting import domain_text

    assert domain_text("xn--bcher-kva.de") == "bücher.de"
    assert domain_text("www.XN--BCHER-KVA.de") == "www.bücher.de"
    assert domain_text("example.com") == "example.com"
    assert domain_text("xn--broken-.de") == "xn--broken-.de"  # not punycode: left as it is
    assert domain_text(None) == ""


def test_a_rules_run_says_its_days_in_the_right_number() -> None:
    from casebook.rules import RunReport

    assert (
        RunReport(days=1, rules=["a", "b"], found=0, updated=0)
        .said()
        .startswith("Regels nagegaan over 1 dag (2 regels)")
    )
    assert "over 28 dagen (1 regel):" in RunReport(days=28, rules=["a"], found=3, updated=0).said()
    i18n.set_language("en")
    assert "over 1 day (" in RunReport(days=1, rules=["a"], found=0, updated=0).said()
    assert "over 1.234 days" not in RunReport(days=1234, rules=["a"], found=0, updated=0).said()
    assert "over 1,234 days" in RunReport(days=1234, rules=["a"], found=0, updated=0).said()


def test_what_a_rule_could_not_judge_says_its_requests_in_the_right_number() -> None:
    from casebook.rules import RunReport, Unmeasured

    one = RunReport(days=1, rules=["a"], found=0, updated=0, unmeasured=(Unmeasured("large_uploads", 1, 1),))
    assert "kon 1 verzoek naar" in one.not_judged()[0] and "op 1 dag niet" in one.not_judged()[0]
    many = RunReport(days=2, rules=["a"], found=0, updated=0, unmeasured=(Unmeasured("large_uploads", 2, 1234),))
    assert "kon 1.234 verzoeken naar" in many.not_judged()[0] and "op 2 dagen" in many.not_judged()[0]
