"""Secrets: cloud keys, tokens and private keys (shared with the output guard).

AWS_ACCESS_KEY (AKIA/ASIA/… + 16), AWS_SECRET_KEY (40 base64 chars next to an AWS key or
a "secret" label), JWT (three base64url segments, JSON header), API_TOKEN (GitHub, Slack,
OpenAI/Anthropic, Stripe, Google, GitLab, Hugging Face, npm, bearer tokens and
``api_key=…`` style assignments) and PRIVATE_KEY (PEM blocks, also truncated ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from xin.redaction.spans import PiiSpan

_TOKEN_PREFIXES = (
    r"gh[pousr]_[A-Za-z0-9]{36,255}",
    r"github_pat_[A-Za-z0-9_]{22,255}",
    r"xox[bpars]-[A-Za-z0-9-]{10,250}",
    r"xapp-\d-[A-Za-z0-9-]{10,250}",
    r"sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,250}",
    r"(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,250}",
    r"AIza[0-9A-Za-z_-]{35}",
    r"glpat-[A-Za-z0-9_-]{20,}",
    r"hf_[A-Za-z0-9]{30,}",
    r"npm_[A-Za-z0-9]{36}",
    r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "aws_access": re.compile(
            r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"
        ),
        "aws_secret": re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
        "secret_cue": re.compile(
            r"(?:aws|secret|sk|access[ _-]?key)[\w ]{0,30}[\"']?\s*[:=]?\s*[\"']?$", re.IGNORECASE
        ),
        "jwt": re.compile(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{8,}"
        ),
        "token": re.compile(
            r"(?<![A-Za-z0-9_-])(?:" + "|".join(_TOKEN_PREFIXES) + r")(?![A-Za-z0-9_-])"
        ),
        "bearer": re.compile(r"\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)"),
        "assignment": re.compile(
            r"(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret[_-]?key|client[_-]?secret|"
            r"token|secret|password|passwd)[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9_./+=~-]{16,})",
            re.IGNORECASE,
        ),
        "pem": re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE "
            r"KEY-----"
            r"|[A-Za-z0-9+/=\s]*)",
            re.DOTALL,
        ),
    }


def _mixed(value: str) -> bool:
    """Looks random: letters and digits (a word like 'passwordpassword' is not a token)."""
    return bool(re.search(r"\d", value)) and bool(re.search(r"[A-Za-z]", value))


def find_credentials(text: str) -> Iterator[PiiSpan]:
    pats = _patterns()
    for m in pats["pem"].finditer(text):
        yield PiiSpan(m.start(), m.end(), "PRIVATE_KEY", m.group(0).strip())
    access_ends = []
    for m in pats["aws_access"].finditer(text):
        access_ends.append(m.end())
        yield PiiSpan(m.start(), m.end(), "AWS_ACCESS_KEY", m.group(0))
    for m in pats["aws_secret"].finditer(text):
        value = m.group(0)
        near_key = any(0 <= m.start() - end <= 120 for end in access_ends)
        cue = pats["secret_cue"].search(text[max(0, m.start() - 50) : m.start()])
        if (near_key or cue) and _mixed(value):
            yield PiiSpan(m.start(), m.end(), "AWS_SECRET_KEY", value)
    for m in pats["jwt"].finditer(text):
        yield PiiSpan(m.start(), m.end(), "JWT", m.group(0))
    for m in pats["token"].finditer(text):
        yield PiiSpan(m.start(), m.end(), "API_TOKEN", m.group(0))
    for m in pats["bearer"].finditer(text):
        yield PiiSpan(m.start(1), m.end(1), "API_TOKEN", m.group(1))
    for m in pats["assignment"].finditer(text):
        if _mixed(m.group(1)):
            yield PiiSpan(m.start(1), m.end(1), "API_TOKEN", m.group(1))
