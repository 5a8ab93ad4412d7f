"""Polish (light: the concepts attacks rely on most; folded: ł kept, other accents removed)."""

from __future__ import annotations

BOUNDED = True

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"zignoruj\w*",
        r"ignoruj\w*",
        r"zapomnij",
        r"pomin",
        r"nie (?:przestrzegaj|stosuj sie do|sluchaj)",
    ),
    "control": (
        r"instrukcj\w*",
        r"polecen\w*",
        r"zasad\w*",
        r"regul\w*",
        r"wytyczn\w*",
        r"ograniczen\w*",
    ),
    "control_ai": (
        r"(?:swoich|twoich|swoje|twoje) (?:\w+ )?(?:instrukcj|zasad|regul|wytyczn|ograniczen)\w*",
    ),
    "prior": (r"poprzedni\w*", r"wczesniejsz\w*", r"wszystki\w*", r"powyzsz\w*"),
    "reveal": (
        r"pokaz\w*",
        r"wyswietl\w*",
        r"powiedz\w*",
        r"ujawnij\w*",
        r"powtorz\w*",
        r"napisz\w*",
        r"jaki\w* (?:jest|sa)",
    ),
    "secret": (r"(?:instrukcj\w*|wiadomosc\w*|prompt\w*) systemow\w*", r"ukryt\w* instrukcj\w*"),
    "persona": (
        r"(?:od teraz|teraz) (?:jestes|bedziesz)",
        r"udawaj\w*",
        r"zachowuj sie jak",
        r"wciel sie w",
    ),
    "unrestricted": (
        r"bez (?:zadnych )?(?:ograniczen|zasad|cenzury|filtrow)",
        r"nie masz (?:zadnych )?(?:zasad|ograniczen)",
    ),
    "future": (r"od teraz", r"od tej chwili", r"od tej pory"),
    "send": (r"wyslij\w*", r"przeslij\w*", r"przekaz\w*"),
    "sensitive": (
        r"(?:cala |calą )?rozmow\w*",
        r"histori\w* (?:czatu|rozmowy)",
        r"dane klientow",
        r"hasl\w*",
    ),
    "ai_address": (r"(?:notatka|uwaga|wiadomosc) dla (?:ai|asystenta|modelu|bota)",),
    "own": (r"moj\w*", r"nasz\w*"),
}
