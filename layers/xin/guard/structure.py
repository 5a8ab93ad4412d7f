"""Structural signals: things an injection looks like, whatever its language.

* fake delimiters — chat-template tokens (``<|im_start|>``, ``[INST]``), privileged role
  labels at the start of a line (``System:``, ``[ADMIN]``), "END OF USER INPUT" markers,
  and pre-filled assistant turns ("assistant: Sure, here is…");
* data-carrying links — markdown images or links whose query string holds a placeholder
  or conversation data (the classic zero-click exfiltration through image rendering);
* hidden text — invisible characters inside words, Unicode tag characters, bidi
  overrides, and in documents HTML comments or CSS that hides text from a human reader;
* mixed-script words — Latin mixed with Cyrillic/Greek look-alikes.

Each returns ``(reason, input_score, chunk_score)`` triples; scoring happens in ``rules``.
"""

from __future__ import annotations

import re
from functools import cache

from xin.guard.normalize import has_mixed_script_words

Signal = tuple[str, float, float]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "template": re.compile(
            r"<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|"
            r"end_header_id|begin_of_text)\|>|\[/?INST\]|<</?SYS>>|<start_of_turn>|<end_of_turn>|"
            r"</?(?:system|sys|system_prompt|admin)>",
            re.IGNORECASE,
        ),
        "role_line": re.compile(
            r"^[ \t>#*\-=(]*(?:\[[ \t]*(?:system|developer|admin|sys)[ \t]*(?:note|message)?\]|"
            r"(?:system|developer|admin|administrator|root|sistema|systeme|sistem|سیستم|النظام|"
            r"система)[ \t]*(?:note|message|prompt|update|override|notice|hinweis)?[ \t*)]*:)",
            re.IGNORECASE | re.MULTILINE,
        ),
        "turn_line": re.compile(
            r"^[ \t>#*\-\[(]*(?:assistant|ai|bot|model|user|human)[ \t\])*]*:",
            re.IGNORECASE | re.MULTILINE,
        ),
        "prefill": re.compile(
            r"^[ \t>#*\-\[(]*(?:assistant|ai|bot|model)[ \t\])*]*:[ \t]*(?:sure|certainly|of "
            r"course|"
            r"absolutely|ok(?:ay)?|yes|here (?:is|are)|here's)\b",
            re.IGNORECASE | re.MULTILINE,
        ),
        "boundary": re.compile(
            r"(?:end|close|stop) of (?:the )?(?:user )?(?:input|document|prompt|context|message|"
            r"instructions|conversation|data|file|text)\b|(?:begin|start)(?: of)? (?:system|"
            r"admin|new|developer) (?:prompt|instructions?|message|section|mode)|"
            r"={3,}\s*(?:system|admin)|-{3,}\s*(?:end|begin)",
            re.IGNORECASE,
        ),
        "md_link": re.compile(
            r"!?\[[^\]\n]{0,200}\]\(\s*<?(https?://[^)\s>]{1,500})|<img[^>]{0,200}?src=[\"']?"
            r"(https?://[^\"'\s>]{1,500})",
            re.IGNORECASE,
        ),
        "placeholder": re.compile(
            r"[{\[<$%][^=&]{0,40}|(?:data|conversation|chat|history|secret|token|key|password|"
            r"prompt|message|user|email|info|summary|context|memory|q)=",
            re.IGNORECASE,
        ),
        "tags": re.compile("[\U000e0000-\U000e007f]"),
        "flag_tags": re.compile("\U0001f3f4[\U000e0020-\U000e007f]+"),
        "in_word_invisible": re.compile(
            "(?<=[A-Za-z])[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]+(?=[A-Za-z])"
        ),
        "bidi_override": re.compile("[\u202a-\u202e\u2066-\u2069]"),
        "html_comment": re.compile(r"<!--(.{8,}?)-->", re.DOTALL),
        "hidden_element": re.compile(
            r"<(\w{1,10})\b[^>]{0,300}?style\s*=\s*[\"'][^\"']{0,200}?(?:display\s*:\s*none|"
            r"visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0)[^>]{0,300}>"
            r"(.{1,5000}?)</\1\s*>",
            re.IGNORECASE | re.DOTALL,
        ),
        "css_hidden": re.compile(
            r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\b|"
            r"opacity\s*:\s*0(?:\.0+)?\b|color\s*:\s*(?:white|#fff(?:fff)?)\b|\bhidden\b=",
            re.IGNORECASE,
        ),
    }


def structural_signals(text: str) -> list[Signal]:
    """Signals from the raw text (case and invisible characters intact)."""
    pats = _patterns()
    out: list[Signal] = []
    if pats["template"].search(text):
        out.append(("fake_delimiter", 0.85, 0.8))
    role_line = pats["role_line"].search(text) is not None
    boundary = pats["boundary"].search(text) is not None
    if role_line and boundary:
        out.append(("fake_delimiter", 0.85, 0.6))
    elif role_line or boundary:
        out.append(("fake_delimiter", 0.5, 0.3))
    if pats["prefill"].search(text):
        out.append(("fake_delimiter", 0.8, 0.5))
    elif pats["turn_line"].search(text):
        out.append(("fake_delimiter", 0.35, 0.2))
    out.extend(_link_signals(text))
    out.extend(_hidden_signals(text))
    if has_mixed_script_words(text):
        out.append(("hidden_text", 0.35, 0.35))
    return out


def _link_signals(text: str) -> list[Signal]:
    pats = _patterns()
    best = 0.0
    for match in pats["md_link"].finditer(text):
        url = match.group(1) or match.group(2) or ""
        _, _, query = url.partition("?")
        if not query or "=" not in query:
            continue
        carries = pats["placeholder"].search(query) is not None
        best = max(best, 0.88 if carries else 0.45)
    return [("exfiltration", best, best)] if best else []


def _hidden_signals(text: str) -> list[Signal]:
    pats = _patterns()
    out: list[Signal] = []
    tags = len(pats["tags"].findall(pats["flag_tags"].sub("", text)))
    if tags >= 4:
        out.append(("hidden_text", 0.6, 0.7))
    if len(pats["in_word_invisible"].findall(text)) >= 2:
        out.append(("hidden_text", 0.45, 0.5))
    if pats["bidi_override"].search(text):
        out.append(("hidden_text", 0.3, 0.4))
    if pats["html_comment"].search(text) or pats["css_hidden"].search(text):
        out.append(("hidden_text", 0.2, 0.4))
    return out


def hidden_fragments(text: str) -> list[str]:
    """Text a human reader would not see (HTML comments, CSS-hidden elements), to be
    scanned on its own: an instruction found there is reported as ``hidden_text``."""
    pats = _patterns()
    comments = [m.group(1) for m in pats["html_comment"].finditer(text)]
    return comments + [m.group(2) for m in pats["hidden_element"].finditer(text)]
