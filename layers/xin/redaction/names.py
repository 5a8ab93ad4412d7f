"""PERSON detection without a model: cues, honorifics, capitalisation and a gazetteer.

Latin script: a known first name followed by one or two capitalised words ("Sarah
O'Neil"), or any capitalised words after a cue ("my name is", "Dr.", "ich heiße",
"je m'appelle", "benim adım"). Persian/Arabic script has no capitals, so a name needs a
cue ("آقای", "خانم", "نام من", "اسمي", "السيد") or a known first name followed by a
surname (listed, or ending in a surname suffix: ‑ی، ‑زاده، ‑پور، ‑نیا، ‑فر…). A bare first
name without a cue or surname is not reported (precision over recall). See ADR 0004.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

from xin.redaction.gazetteer import common_words, first_names, key, street_suffixes, surnames
from xin.redaction.spans import PiiSpan

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
_LATIN_CUE = re.compile(
    r"(?:\b(?:my name is|my name's|i am|i'm|this is|call me|name:|named|called|signed|regards,|"
    r"sincerely,|thanks,|dear|hi|hello|contact|ask for|speak (?:to|with)|mein name ist|ich bin|"
    r"ich heiße|ich heisse|je m'appelle|mon nom est|je suis|me llamo|mi nombre es|soy|"
    r"mi chiamo|sono|benim adım|adım|ben|sayın|sevgili)|(?:\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|"
    r"madam|dame|herr|frau|mme|mlle|sr|sra|srta|sig|bay|bayan)\.?))\s+$",
    re.IGNORECASE,
)
# Cues that are weak on their own ("I am", "soy"): the next word must look like a name.
_WEAK_CUE = re.compile(
    r"\b(?:i am|i'm|this is|ich bin|je suis|soy|sono|ben|hi|hello|dear|named|called)\s+$",
    re.IGNORECASE,
)
_PERSIAN_CUE = re.compile(
    r"(?:آقای|اقای|خانم|جناب|سرکار|دکتر|مهندس|استاد|نام\s?من|اسم\s?من|اسمم|نامم|"
    r"اسمي|اسمی|أنا|السيد|السیده|السيدة|الأستاذ|الاستاذ|الأستاذة|الدكتور|الدکتور|"
    r"الدكتورة|المهندس|الشيخ)\s*(?::|،|,)?\s*$"
)
_FA_STOP = frozenset(
    "است هست هستم هستند بود می را و با به از در که این آن برای تا یا اما هم نیز شد شده "
    "کرد کند دارد بوده باشد ها های یک هر من تو او ما شما ایشان لطفا ممنون سلام "
    "هو هي في من إلى على عن مع أن كان هذا هذه التي الذي و".split()
)
_FA_SURNAME_SUFFIX = (
    "زاده",
    "پور",
    "نیا",
    "فر",
    "یان",
    "لو",
    "وند",
    "نژاد",
    "منش",
    "مند",
    "کیا",
    "دوست",
    "ی",
)
_LATIN_STOP = frozenset(
    "the a an and or but of to in on at for from by with is are was were be been i you he she "
    "we they it my your our their this that these those here there hi hello thanks thank dear "
    "please yes no not mr mrs ms dr prof street avenue road inc ltd llc gmbh co company team "
    "support customer service monday tuesday wednesday thursday friday saturday sunday "
    "sie ich du er wir ihr der die das den dem des ein eine und vous nous je tu il elle "
    "contact call ask email mail meet tell send forward ping message text cc attn re fwd".split()
)


_PARTICLES = frozenset("de van von der den da di del della du la le bin ibn al el dos das".split())
_ORG_WORDS = frozenset(
    "inc ltd llc gmbh corp co plc sa ag bv university college school bank hospital clinic "
    "hotel airport station center centre city county state province river lake mountain "
    "island bay beach park mall store shop market group foundation institute ministry "
    "department office app pro max plus mini ultra edition series version update mode "
    "settings account service services support cloud pay wallet card team server portal".split()
)
_NON_NAME_SUFFIX = ("ing", "tion", "sion", "ment", "ness", "ity", "able", "ship", "ware", "ics")
# Function words of languages that capitalise nouns or titles (German above all): a
# sentence containing them gets no "two capitalised words" guess.
_NOUN_CAPS_SENTENCE = re.compile(
    r"\b(?:der|die|das|den|dem|des|und|ist|nicht|ich|sie|wir|ihr|mit|für|auf|eine?|zu)\b"
)


@cache
def _honorific_only() -> re.Pattern[str]:
    return re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof|sir)\.?$", re.IGNORECASE)


def _is_title(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 3 and word.isupper())


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def _adjacent(text: str, end: int, start: int) -> bool:
    """Only spaces (or a middle initial like ' J. ') between two tokens."""
    gap = text[end:start]
    return gap.strip(" ") == "" or re.fullmatch(r" [A-Z]\. ", gap) is not None


def _chain(text: str, tokens: list[tuple[int, int, str]], i: int) -> int:
    """Index of the last token of a run of up to three capitalised words (with particles)."""
    j, taken = i, 1
    while taken < 3:
        k = j + 1
        if k < len(tokens) and key(tokens[k][2]) in _PARTICLES and k + 1 < len(tokens):
            k += 1
        if not (
            k < len(tokens) and _is_title(tokens[k][2]) and key(tokens[k][2]) not in _LATIN_STOP
        ):
            break
        if not all(_adjacent(text, tokens[n][1], tokens[n + 1][0]) for n in range(j, k)):
            break
        j, taken = k, taken + 1
    return j


def _unusual_run(
    run: list[tuple[int, int, str]], common: frozenset[str], streets: frozenset[str]
) -> bool:
    """No word of the run is common, an organisation/place word or a non-name shape."""
    for _, _, word in run:
        k = key(word)
        if word.isupper() or k in common or k in _ORG_WORDS or k in streets:
            return False
        if k.endswith(_NON_NAME_SUFFIX) and k not in first_names():
            return False
    return True


class _Sentences:
    """Which sentence an offset falls in, and whether it capitalises nouns (German)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in re.finditer(r"[.!?\n]", text)]
        self.memo: dict[int, bool] = {}

    def capitalises_nouns(self, offset: int) -> bool:
        index = bisect.bisect_right(self.ends, offset)
        if index not in self.memo:
            start = self.ends[index - 1] if index else 0
            end = self.ends[index] if index < len(self.ends) else len(self.text)
            sentence = self.text[start:end].lower()
            self.memo[index] = _NOUN_CAPS_SENTENCE.search(sentence) is not None
        return self.memo[index]


def _latin_names(text: str, tokens: list[tuple[int, int, str]]) -> Iterator[PiiSpan]:
    names, streets, common = first_names(), street_suffixes(), common_words()
    sentences = _Sentences(text)
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        if not _is_title(word) or key(word) in _LATIN_STOP or _honorific_only().match(word):
            i += 1
            continue
        before = text[max(0, start - 40) : start]
        cue = _LATIN_CUE.search(before)
        j = _chain(text, tokens, i)
        if j > i and key(word) not in first_names() and key(tokens[i + 1][2]) in first_names():
            i += 1  # "Welcome Sarah Lee": the name starts at the known first name
            continue
        run = tokens[i : j + 1]
        after_number = re.search(r"\d[\w-]*\s+$", text[max(0, start - 12) : start]) is not None
        if after_number and any(key(t[2]) in streets for t in run[1:]):
            i = j + 1  # "12 Kathleen Highway" is a street, "Robert Wells" a person
            continue
        known = key(word) in names
        weak = cue is not None and _WEAK_CUE.search(before) is not None
        # Two or three capitalised words none of which is a common word or an
        # organisation/place word: "Chen Wei", "Jamal Osei" (no gazetteer needed).
        unusual = (
            j > i and _unusual_run(run, common, streets) and not sentences.capitalises_nouns(start)
        )
        if (known and j > i) or (cue and not weak) or (weak and (known or j > i)) or unusual:
            yield PiiSpan(start, tokens[j][1], "PERSON", " ".join(t[2] for t in run))
            i = j + 1
            continue
        i += 1


def _looks_like_surname(word: str) -> bool:
    k = key(word)
    return k in surnames() or (len(k) >= 4 and k.endswith(_FA_SURNAME_SUFFIX))


def _arabic_script_names(text: str, tokens: list[tuple[int, int, str]]) -> Iterator[PiiSpan]:
    names = first_names()
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        if not _ARABIC_SCRIPT.match(word) or key(word) in _FA_STOP:
            i += 1
            continue
        cue = _PERSIAN_CUE.search(text[max(0, start - 20) : start]) is not None
        j = i
        while (
            j + 1 < len(tokens)
            and j - i < 2
            and _ARABIC_SCRIPT.match(tokens[j + 1][2])
            and key(tokens[j + 1][2]) not in _FA_STOP
            and _adjacent(text, tokens[j][1], tokens[j + 1][0])
            and (key(tokens[j + 1][2]) in names or _looks_like_surname(tokens[j + 1][2]))
        ):
            j += 1
        known = key(word) in names
        with_surname = j > i and _looks_like_surname(tokens[j][2])
        if cue or (known and with_surname):
            yield PiiSpan(start, tokens[j][1], "PERSON", " ".join(t[2] for t in tokens[i : j + 1]))
            i = j + 1
            continue
        i += 1


def find_persons(text: str) -> Iterator[PiiSpan]:
    tokens = _tokens(text)
    yield from _latin_names(text, [t for t in tokens if not _ARABIC_SCRIPT.match(t[2])])
    yield from _arabic_script_names(text, tokens)
