"""Bindings are declared with catalogue keys as descriptions and shown in the user's language."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from casebook import i18n


def translate_bindings(node: DOMNode) -> None:
    """Replace each binding's description key (and its group's) by its text in the current language.

    Textual reads descriptions from the node's own copy of its bindings, made
    when the node is created; the language is known by then, the class
    definition is not.
    """
    known = i18n.catalogue()
    table = node._bindings.key_to_bindings

    def translated(binding: Binding) -> Binding:
        changes: dict[str, object] = {}
        if binding.description in known:
            changes["description"] = i18n.t(binding.description)
        if binding.group is not None and binding.group.description in known:
            changes["group"] = dataclasses.replace(binding.group, description=i18n.t(binding.group.description))
        return dataclasses.replace(binding, **changes) if changes else binding  # type: ignore[arg-type]

    for key, bindings in table.items():
        table[key] = [translated(b) for b in bindings]
