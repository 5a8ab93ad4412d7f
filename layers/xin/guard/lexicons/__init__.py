"""Multilingual lexicons for the guard detectors.

Each language module defines ``TERMS``: concept name → regex fragments, written in the
*folded* form (``xin.guard.normalize.fold``: lower case, no accents, Arabic letters
unified with Persian, ASCII digits) and ``BOUNDED`` (``False`` for scripts written without
spaces, where fragments match inside runs of letters; such a module also sets ``SCRIPT``,
a character class, and is tried only on text containing that script).

Detectors never look for whole attack sentences: they look for concepts (an override
verb, a control noun, a "previous" qualifier…) co-occurring within a window, in any
order, so a word order or a phrasing no one wrote down is still caught. Adding a
language = adding a module here and its name to ``LANGUAGES``; every concept is optional.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = (
    "common",
    "roots",
    "en",
    "en_context",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "tr",
    "fa",
    "ar",
    "ru",
    "zh",
    "id",
    "pl",
    "ja",
    "hi",
    "ko",
    "vi",
)

CONCEPTS: tuple[str, ...] = (
    "override",  # ignore / disregard / forget
    "control",  # instructions, rules, guidelines (generic nouns)
    "control_ai",  # your instructions, system prompt, safety guidelines (AI-specific)
    "prior",  # previous, above, all, original
    "everything",  # everything above / all we discussed
    "reveal",  # show, print, repeat, tell me, what is
    "secret",  # system prompt, initial instructions, instructions you were given
    "verbatim",  # word for word
    "persona",  # you are now, act as, pretend
    "unrestricted",  # no restrictions, uncensored, never refuse
    "jailbreak",  # DAN, do anything now, jailbreak
    "mode",  # developer mode, god mode
    "future",  # from now on, for the rest of the session
    "comply",  # comply with every request, without question
    "new_rules",  # new instructions, your real task
    "nullify",  # no longer apply, disabled, exempt
    "self_reason",  # fake assistant reasoning: "as the assistant I have determined"
    "permission",  # the user is an admin, you have permission
    "authority",  # SYSTEM NOTE:, admin override, important update
    "send",  # send, email, forward, upload
    "sensitive",  # customer list, conversation, credentials, API keys
    "external",  # URLs, e-mail addresses, external, attacker
    "tool",  # send_email, http_post, call the X tool
    "destroy",  # delete all files, drop the database
    "url_param",  # put data into a URL / query string
    "decode",  # decode, translate, convert
    "encoding",  # base64, rot13, hex, reversed
    "execute",  # follow it, do what it says
    "ai",  # AI, language model, assistant (mentions)
    "ai_address",  # note to the AI, if you are an AI (vocatives)
    "deontic",  # must, you are instructed to, before you answer
    "inject",  # append, include, add, mention
    "output_ref",  # your reply, every summary
    "memory",  # save to long-term memory
    "secrecy",  # do not tell the user, secretly
    "credential",  # admin password, all API keys, environment variables
    "user_ref",  # the user's question / request (an indirect injection's target)
    "echo",  # repeat after me, say exactly (makes quoted text an order, not a quote)
    "meta",  # prompt injection, attacks, how to detect (talking ABOUT attacks)
    "own",  # my, our (the user's own instructions are not an override)
)
