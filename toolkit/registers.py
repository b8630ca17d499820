"""How a text addresses its reader: the registers a language has (German du/Sie, Dutch je/u).

A project sets a default per language (`register = { de = "du" }` under `[tool.toolkit]`), an
article may set its own (`register: {de: Sie}` in its front matter); `toolkit check` reports
every form of the other register, and the catalogs tell translators which one to use.
"""

from __future__ import annotations

from collections.abc import Mapping

# The first register of each pair is the informal one. Only languages whose forms we can check.
REGISTERS: Mapping[str, tuple[str, str]] = {"de": ("du", "Sie"), "nl": ("je", "u")}
# Layout strings are shared by every article: they must read right in either register.
NEUTRAL = "neutral"

_DESCRIPTIONS = {
    ("de", "du"): "du: address the reader informally (du, dich, dir, dein; imperative: Atme, Lies)",
    ("de", "Sie"): "Sie: address the reader formally (Sie, Ihnen, Ihr; imperative: Atmen Sie)",
    ("nl", "je"): "je: address the reader informally (je, jij, jou, jouw)",
    ("nl", "u"): "u: address the reader formally (u, uw)",
}


def known_registers() -> str:
    return ", ".join(f"{lang} ({' or '.join(pair)})" for lang, pair in REGISTERS.items())


def normalise_register(lang: str, value: object) -> str | None:
    """The register's own spelling (`sie` → `Sie`), or None when `lang` has no such register."""
    if not isinstance(value, str):
        return None
    for name in REGISTERS.get(lang, ()):
        if value.strip().casefold() == name.casefold():
            return name
    return None


def describe_register(lang: str, register: str) -> str:
    """The note translators see on an article's title entry."""
    return _DESCRIPTIONS.get((lang, register), register)
