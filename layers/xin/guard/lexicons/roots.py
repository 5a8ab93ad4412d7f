"""Cross-lingual roots and loanwords: what many languages share with English or Latin.

Keeps the guard useful in languages without a lexicon of their own: "system prompt" is
borrowed almost everywhere (prompt sistem, prompt systemowy, systemprompt, システムプロンプト),
"instruction" keeps its root (instrukcje, instruktioner, instruksi), and "ignore" its stem
(ignorera, ignoruj, ignorovat). English inflections are excluded here on purpose: the
English lexicon decides about "ignored" or "ignorance".
"""

from __future__ import annotations

BOUNDED = True

_SYSTEM_PROMPT = (
    r"system ?prompt\w*",
    r"prompt\w* (?:de |do |del |di |du )?(?:sistem|system|systeem|sustav|rendszer|sisteme)\w*",
    r"(?:sistem|system|systeem|sisteme)\w* ?prompt\w*",
    r"システムプロンプト",
    r"시스템 ?프롬프트",
    r"सिस्टम प्रॉम्प्ट",
)

TERMS: dict[str, tuple[str, ...]] = {
    "override": (r"ignor(?!ed\b|es\b|ing\b|e\b|ance|ant)\w+", r"zignoruj\w*"),
    "control": (r"instru[ckt]\w*", r"istruzion\w*", r"instrucc\w*", r"prompt\w*"),
    "control_ai": _SYSTEM_PROMPT,
    "secret": _SYSTEM_PROMPT,
    "mode": (r"(?:developer|dev|developper|developer) ?mod(?:e|o|us|u)\w*",),
    "unrestricted": (
        r"(?:bez|tanpa|utan|zonder|fara|sin|sem|ohne|sans|senza|without) (?:\w+ ){0,2}"
        r"(?:restri[ckt]\w*|limit\w*|cenzur\w*|censur\w*|censor\w*|filtr\w*|filter\w*|"
        r"ogranicze\w*|omezen\w*|batas\w*|begransning\w*)",
    ),
}
