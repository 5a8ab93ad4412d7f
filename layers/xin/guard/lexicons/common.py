"""Language-independent terms: URLs, addresses, tool names, jailbreak names and modes."""

from __future__ import annotations

BOUNDED = True
# Concepts whose fragments start or end inside a word (a query string after a path).
UNBOUNDED: frozenset[str] = frozenset({"url_param"})

TERMS: dict[str, tuple[str, ...]] = {
    "external": (
        r"https?://[^\s)\"'<>]+",
        r"www\.[^\s)\"'<>]+",
        r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}",
        r"(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?",
        r"(?:pastebin|requestbin|webhook\.site|ngrok|burpcollaborator|interactsh)\S*",
    ),
    "tool": (
        # Not inside a dotted configuration path (``auth.jwt.jwks_url`` is a setting).
        r"(?<!\.)(?:send|post|http|fetch|curl|wget|exec|shell|run|delete|remove|write|upload|"
        r"download|email|mail|transfer|browse|open|read|list)_[a-z_]+",
        r"(?<![.\w])[a-z]+_(?:email|mail|post|get|request|file|files|message|webhook|upload|"
        r"command|shell|url|browse)",
    ),
    "jailbreak": (
        r"do anything now",
        r"jailbreak(?:ed|ing)?",
        r"jailbroken",
        r"dan mode",
        r"(?:better|anti)-?dan",
        r"anti-?gpt",
        r"evil ?confidant",
        r"mongo tom",
        r"(?:chaos|worm|fraud|evil|dark)gpt",
        r"(?:stan|dude|aim|kevin|omega|apophis) mode",
        r"(?:are|be|as|become|called|named|play|now|soy|eres|sei|bist|es|sen|sinon) dan",
        r"dan,? (?:which|who) stands",
        r"dan \d+(?:\.\d+)?",
        r"جیل\s?بریک",
        r"جیلبریک",
        r"кооперативн\w* режим",
    ),
    "mode": (
        r"developer mode",
        r"dev mode",
        r"god mode",
        r"sudo mode",
        r"admin(?:istrator)? mode",
        r"(?:unrestricted|unfiltered|uncensored|unlocked|opposite|chaos|evil|debug) mode",
        r"entwicklermodus",
        r"(?:debug|admin|gott)modus",
        r"maintenance mode",
        r"حالت\s?(?:نگهداری|تعمیر)",
        r"mode (?:developpeur|developeur|dieu|sans (?:restriction|filtre|limite)s?)",
        r"modo (?:desarrollador|desenvolvedor|dios|sin (?:restricciones|filtros|limites))",
        r"modalita (?:sviluppatore|sviluppo|senza (?:restrizioni|filtri))",
        r"gelistirici mod\w*",
        r"(?:sinirsiz|kisitlamasiz|filtresiz) mod\w*",
        r"ontwikkelaarsmodus",
        r"حالت\s?(?:توسعه\s?دهنده|برنامه\s?نویس|بدون\s?(?:محدودیت|فیلتر|سانسور)|خدا|دیباگ)",
        r"وضع\s?(?:ال)?(?:مطور|مطورین|غیر\s?مقید|بلا\s?قیود)",
        r"режим\w* (?:разработчика|бога|без ограничений)",
        r"开发者模式",
        r"開發者模式",
        r"(?:无限制|無限制|越狱|越獄)模式",
    ),
    "encoding": (
        r"base ?(?:64|32|85|58)",
        r"rot ?13",
        r"rot-13",
        r"hex(?:adecimal)?",
        r"morse",
        r"ascii ?85",
        r"leet ?speak",
        r"l33t",
        r"caesar",
        r"unicode (?:escapes?|tags?)",
        r"url[- ]?encod\w*",
        r"percent[- ]encod\w*",
    ),
    "url_param": (
        # A query string attached to a URL or path, not a parameter named in prose.
        r"(?<=[\w/])\?[\w-]+=\{?[\w.$%{}\[\]<>-]*",
        r"!\[[^\]]*\]\(",
        r"<img\b",
    ),
}
