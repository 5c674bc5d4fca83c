"""Text normalisation, the one place for it: what a search term and a fact's text become before they meet.

The index stores every fact's search text through `fold`, and every search term goes through
`normalise` (which is `fold` plus traditional → simplified where a term needs it), so the two always
agree. Words and stems (`words`, `stem`, `root`) are defined here for the same reason: the index
lists a file's words with them, and the search matches with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u9fff\uf900-\ufaff]+")
"""A word: a run of Chinese characters, or of other letters and digits (新区GDP is 新区 and gdp)."""
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
SEPARATOR = "\x1f"
"""Between the fields of a fact's search text; `fold` turns it into a space wherever else it appears."""


@lru_cache(maxsize=1024)  # facts that state one sentence's several figures share its quote
def is_text(value: str) -> bool:
    """Whether a string is text: an argument of bytes that are not UTF-8 arrives as lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def fold(text: str) -> str:
    """NFKC (full-width ｉｎｄｕｓｔｒｙ is industry, ① is 1), casefolded, control characters as spaces.

    Used on every fact's text when the index is built and on every term: both sides of a match.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if folded.isprintable() else _CONTROL.sub(" ", folded)  # the check costs less than the regex


def without_spaces(text: str) -> str:
    """The text with all white space removed: how quotes are compared with their source."""
    return _SPACE.sub("", text)


def needs_simplifying(text: str) -> bool:
    """Whether `text` holds a Chinese character outside GB 2312, the simplified character set.

    Every traditional character that differs from its simplified form lies outside it, except a few
    variants simplified text uses as well (後, 於, 著, 乾…), so a simplified term never pays for the
    converter's import (about 50 ms).
    """
    for ch in text:
        if is_cjk(ch):
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                return True
    return False


def is_cjk(ch: str) -> bool:
    """Whether a character is Chinese (CJK ideographs, radicals, compatibility forms, the extensions).

    A comparison, not a regular expression: compiling a character class this wide costs 1.5 ms of
    every run's start-up.
    """
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003ffff"


@lru_cache(maxsize=4)
def _converter(config: str) -> object | None:
    """OpenCC's converter of one configuration, or None where none loads: `tw2sp` (Taiwan's
    traditional text to mainland simplified, its words too: search terms), `s2t` (simplified to
    traditional: a term's spelling in traditional quotes), `t2s` (character by character: reading a
    report).

    opencc-py (the OpenCC project's own pure-Python package, docs/guide.md, Search) is a dependency;
    the C++ `opencc` package has the same name and interface and serves as well. Without either (an
    install that left dependencies out) a traditional term is searched as typed rather than failing.
    """
    try:
        import opencc

        return opencc.OpenCC(config)
    except Exception:  # not installed, or an opencc whose data cannot be read
        return None


def _converted(config: str, text: str) -> str:
    """`text` through OpenCC's `config` converter; as it is where none loads."""
    converter = _converter(config)
    if converter is None:
        return text
    converted: str = converter.convert(text)  # type: ignore[attr-defined]
    return converted


def simplified(text: str) -> str:
    """Traditional Chinese as simplified, with Taiwan's words as the mainland's (積體電路 → 集成电路)."""
    if not needs_simplifying(text):
        return text
    return _converted("tw2sp", text)


@lru_cache(maxsize=256)
def traditional(text: str) -> str:
    """Simplified Chinese as traditional (两江新区 → 兩江新區): a second spelling of a term, for traditional quotes.

    Costs the converter's start (about 0.2 s) once, so it is asked only of a file that holds traditional text.
    """
    if not any(is_cjk(ch) for ch in text):
        return text
    return _converted("s2t", text)


_TRADITIONAL_VARIANTS = str.maketrans("產", "産")
"""Variant forms traditional web text writes where OpenCC writes the standard one (産 for 產)."""


def traditional_spellings(text: str) -> list[str]:
    """The traditional spellings of a simplified term: OpenCC's, and with the variants web text uses (産業)."""
    standard = traditional(text)
    return list(dict.fromkeys((standard, standard.translate(_TRADITIONAL_VARIANTS))))


_VARIANTS = str.maketrans("産値甦邨眞衆喫峯綫綵", "产值苏村真众吃峰线彩")
"""Variant forms OpenCC leaves as they are (産 of big5 gateways, 値 of Japanese fonts)."""


@lru_cache(maxsize=8192)
def _simplified_character(ch: str) -> str:
    out = _converted("t2s", ch)
    return out if len(out) == 1 else ch


def simplified_characters(text: str) -> str:
    """Traditional characters read as simplified, one for one, so positions do not move (for reading only:
    a quote keeps the characters its report wrote). Text written in GB 2312 alone comes back as it is."""
    text = text.translate(_VARIANTS)
    if not needs_simplifying(text):
        return text
    return "".join(_simplified_character(ch) if is_cjk(ch) else ch for ch in text)


QUOTES = "\"'“”‘’「」『』"
"""Quotation marks a term may be typed in (`'"Fortune 500"'`, `“两高两区”`): they say "this phrase", which a term is."""


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalise(term: str) -> str:
    """A search term as the index stores text: folded, simplified, spaces collapsed, without the
    quotation marks around it, and without thousands separators (`2,008.3` is `2008.3`, as the report
    writes figures)."""
    text = " ".join(simplified(fold(term)).strip().strip(QUOTES).split())
    return _THOUSANDS.sub("", text) if "," in text else text


@lru_cache(maxsize=1)
def _chinese_run() -> re.Pattern[str]:
    return re.compile("[\u3400-\u9fff\uf900-\ufaff]+")  # compiled when first needed: 1.5 ms


def chinese_pieces(text: str) -> set[str]:
    """The Chinese characters of a folded text, and every two of them written side by side.

    A Chinese term can stand in a text only if each of its characters and pairs does: the index
    lists them all, so a term written nowhere is known without reading a fact.
    """
    pieces: set[str] = set()
    for run in _chinese_run().findall(text):
        pieces.update(run)
        pieces.update(run[i : i + 2] for i in range(len(run) - 1))
    return pieces


def words(text: str) -> list[str]:
    """The words of an already folded text: runs of letters, digits or Chinese characters."""
    return _WORD.findall(text)


def stem(word: str) -> str:
    """The word without a plural ending: vehicles → vehicle, industries → industry, boxes → box."""
    w = word.casefold()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=4096)  # copies of a text (a big file's repeated quotes) are stemmed once
def stems(text: str) -> frozenset[str]:
    """The stems of the words of a folded text."""
    return frozenset(stem(w) for w in _WORD.findall(text))


def root(stem_: str) -> str:
    """What every inflection of a stem starts with: industr for industry (industries), box for box (boxes)."""
    return stem_[:-1] if stem_.endswith("y") and len(stem_) > 1 else stem_


def is_substring_term(term: str) -> bool:
    """Whether a normalised term matches as a substring (Chinese, digits, punctuation) rather than by words."""
    if term.isascii():
        return bool(_DIGIT.search(term)) or not _WORD.search(term)
    return any(ch.isdigit() or is_cjk(ch) for ch in term) or not _WORD.search(term)


def key(term: str) -> str:
    """What a normalised term is looked up by: itself if it matches as a substring, else its stems, sorted.

    `phone` and `phones`, `Electric Vehicles` and `electric vehicle`, share a key.
    """
    return term if is_substring_term(term) else " ".join(sorted(stem(w) for w in words(term)))


def normalised_all(terms: Iterable[str]) -> list[str]:
    """Normalised terms, empty ones dropped, repeats kept: what a phrase is joined from (`year on year`)."""
    return [t for t in map(normalise, terms) if t]


def unique(terms: Iterable[str]) -> list[str]:
    """Normalised terms, empty ones dropped, each once, in the order first given."""
    return list(dict.fromkeys(normalised_all(terms)))


def joined_phrases(terms: Sequence[str], phrases: Iterable[str], longest: int) -> list[str]:
    """Terms with runs that together spell a phrase joined into one: `electric vehicles` given as two words.

    Runs are compared by `key`, so `electric vehicle` joins as well. Greedy, longest run first, at
    most `longest` terms a run: linear in the number of terms.
    """
    known = {key(p) for p in phrases}
    out: list[str] = []
    i = 0
    while i < len(terms):
        for n in range(min(longest, len(terms) - i), 1, -1):
            phrase = " ".join(terms[i : i + n])
            if key(phrase) in known:
                out.append(phrase)
                i += n
                break
        else:
            out.append(terms[i])
            i += 1
    return out
