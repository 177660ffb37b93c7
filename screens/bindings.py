"""Bindings are declared with catalogue keys as descriptions and shown in the user's language."""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from casebook import i18n


def translate_bindings(node: DOMNode) -> None:
    """Replace each binding's description key by its text in the current language.

    Textual reads descriptions from the node's own copy of its bindings, made
    when the node is created; the language is known by then, the class
    definition is not.
    """
    known = i18n.catalogue()
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            dataclasses.replace(b, description=i18n.t(b.description)) if b.description in known else b for b in bindings
        ]
