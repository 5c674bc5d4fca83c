"""Finding facts by what they mean, in Chinese or English, best first, and saying what went wrong when nothing is found.

A search term is normalised (`text.normalise`: NFKC, casefold, traditional → simplified), joined
with the glossary's words for the same thing, and matched against each fact's own words (label,
id, quote, unit) and the names of its topics. The facts' search texts are read from the index in
file order, a few thousand at a time, so a search with a limit stops as soon as nothing further on
can rank higher.

How a fact ranks (README, Search):

- each term counts the best place it hits: the label *is* the term (5), the label holds it (4),
  it names the fact's primary topic (3), the id holds it or it names another of the fact's topics
  (2), the quote or the unit holds it (1);
- facts where every term hits the fact's own words come first, then those where a term only names
  one of the fact's topics; then the larger sum; then the facts of a topic a term names or is an
  alias of (as their primary topic); then file order (a knowledge file lists a topic's main facts
  first);
- a topic's alias (外资 of trade) counts only for facts whose primary topic it is, and only when no
  fact matches otherwise: an alias is what the user meant only when the facts do not say it.
"""

from __future__ import annotations

import functools
import heapq
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import UsageError
from .model import UNITS, CityFigure, Fact
from .text import (
    SEPARATOR,
    chinese_pieces,
    fold,
    is_substring_term,
    joined_phrases,
    needs_simplifying,
    normalised_all,
    root,
    stem,
    stems,
    traditional_spellings,
    unique,
)

if TYPE_CHECKING:
    from array import array

    from .index import Index

LABEL_IS, LABEL, TOPIC, ID, SECONDARY_TOPIC, OTHER = 5, 4, 3, 2, 2, 1
"""What a hit counts, by where it is."""
MAX_TERMS = 32
"""Different terms a search may have (after normalising and dropping repeats): each costs a pass."""
LONGEST_PHRASE = 6
"""Words a glossary phrase given as separate terms may have (`research and development`)."""
_UNITS = tuple(fold(f"{u.name} {u.base_unit} {u.english}") for u in UNITS.values())


class Alternative(NamedTuple):
    """One spelling a term may be found by: the term itself, or a word of its glossary group."""

    text: str
    """Normalised."""
    substring: bool
    """Chinese, digits or signs: found as a substring. Else found by its words' stems."""
    wanted: frozenset[str]
    """The stems a field must hold (words only)."""
    needles: tuple[bytes, ...]
    """What a fact's search text must hold (the substring, or each stem's root): a superset of the matches."""

    def best(self, fields: Sequence[str]) -> int:
        """The best place this spelling hits among a fact's own fields (label, id, quote, unit); 0 for none."""
        label, id_, quote, unit = fields
        if self.substring:
            t = self.text
            return (
                LABEL_IS
                if label == t
                else LABEL
                if t in label
                else ID
                if t in id_
                else OTHER * (t in quote or t in unit)
            )
        label_stems = stems(label)
        if self.wanted <= label_stems:
            return LABEL_IS if self.wanted == label_stems else LABEL
        # A phrase within the id's own words: `foreign trade` is not `trade.foreign-capital` (a topic, then a name).
        if self.wanted <= stems(id_ if len(self.wanted) == 1 else id_.partition(".")[2] or id_):
            return ID
        return OTHER if self.wanted <= stems(quote) or self.wanted <= stems(unit) else 0


def alternative(text: str) -> Alternative:
    if is_substring_term(text):
        return Alternative(text, True, frozenset(), (text.encode("utf-8"),))
    wanted = stems(text)
    return Alternative(text, False, wanted, tuple(sorted({root(s).encode("utf-8") for s in wanted})))


class Term(NamedTuple):
    """A search term, ready to match."""

    asked: str
    """As normalised."""
    alternatives: tuple[Alternative, ...]
    """The spellings (the term, its glossary words) some fact's own words can hold: only these are looked for."""
    named: dict[int, int]
    """Positions of the facts under a topic the term names (slug, name, Chinese name), with the weight."""
    named_positions: list[int]
    """The same positions, sorted."""
    aliased: dict[int, int]
    """Positions of the facts whose primary topic has the term as an alias."""
    aliased_positions: list[int]
    bound: int
    """The most this term can count for any fact of the file (its best place)."""
    in_topic: int
    """1 where the term names a topic or is one of its aliases: a fact of that topic (as its primary) then
    ranks first among equals."""
    own: bool = True
    """Whether any fact's own words can hold the term; where none can, only its topics find facts."""
    corrected: str | None = None
    """The word searched for instead, where no fact holds the term asked (a typo)."""
    split_from: str | None = None
    """The Chinese term or phrase, found nowhere whole, that this term is a part of."""

    @property
    def found_somewhere(self) -> bool:
        return self.bound > 0 or bool(self.aliased)


class Found(NamedTuple):
    """What a search found, and what it wants the user to know."""

    facts: list[Fact]
    terms: list[Term]
    """The terms searched for, once each."""
    by_alias: bool = False
    """The facts were found only through a topic's alias."""
    left_out: tuple[str, ...] = ()
    """Words of the question left out to find anything (`number`, `数量`)."""


def search(index: Index, terms: Sequence[str], limit: int | None = None) -> list[Fact]:
    """Facts that match every term, best first; at most `limit` of them (the search stops early)."""
    return find(index, terms, limit).facts


def find(index: Index, terms: Sequence[str], limit: int | None = None) -> Found:
    """`search`, with the terms as searched (corrections, glossary, split words) for the messages around it."""
    prepared = prepare(index, terms)
    if not prepared:
        return Found([], prepared)
    first = _exact_id(index, terms)
    if first is not None and limit == 1:
        return Found([first], prepared)
    want = None if limit is None else limit + (first is not None)
    positions, by_alias = index.retrying(lambda: _ranked(index, prepared, want))
    left_out: tuple[str, ...] = ()
    if not positions and first is None:
        split = _split_terms(index, prepared)
        for retry in (split, _without_filler(split or prepared)):
            if retry is not None:
                positions, by_alias = index.retrying(functools.partial(_ranked, index, retry, want))
                if positions:
                    left_out = tuple(t.asked for t in (split or prepared) if t not in retry)
                    prepared = retry
                    break
    facts = index.facts_at(positions)
    if first is not None:
        facts = [first, *(f for f in facts if f.id != first.id)]
    return Found(facts[:limit] if limit is not None else facts, prepared, by_alias, left_out)


FILLER = frozenset(
    (
        *("of", "the", "a", "an", "in", "on", "at", "for", "to", "and", "by", "with", "what", "which"),
        *("is", "are", "was", "were", "number", "numbers", "how", "many", "much", "total", "amount"),
        *("数量", "多少", "总数", "情况", "有多少", "是多少", "多少个"),
    )
)
"""Words of a question rather than of a fact (`number of schools`, `学校数量`): left out when the
search finds nothing with them."""


def _without_filler(terms: list[Term]) -> list[Term] | None:
    """The terms without FILLER words, or None when that leaves nothing or changes nothing."""
    kept = [t for t in terms if (t.corrected or t.asked) not in FILLER]
    return kept if kept and len(kept) < len(terms) else None


_SCRIPTS = re.compile(r"(?<=[a-z])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[a-z])|(?<=[a-z]{2})(?=\d[\d.]{2,})")
"""Where a term runs two kinds of word together: Latin letters and Chinese (`nev新能源`), or a word and a
figure (`gdp2000.2`; `5g`, `sf5` and `l4` stay whole)."""


def _split_terms(index: Index, terms: list[Term], whole: Callable[[Term], bool] | None = None) -> list[Term] | None:
    """The terms with each Chinese one split into the known words it is made of (and each phrase into its
    words), or None if none splits; a term `whole` says to keep is kept.

    `汽车产量` is written nowhere, but `汽车` and `产量` are: Chinese runs words together, so a term
    found nowhere whole is split, longest known word first (the glossary's and the topics' names),
    and the parts (of two characters or more) are searched for together. So is a term that runs
    Latin letters and Chinese, or a word and a figure, together (`NEV新能源`, `GDP2000.2`).
    """
    if all(t.asked.isascii() and " " not in t.asked and not _SCRIPTS.search(t.asked) for t in terms):
        return None  # one English word each: nothing to split (and the words of a big file are not read)
    known = index.chinese_words() if not all(t.asked.isascii() for t in terms) else set()
    longest = max(map(len, known), default=0)
    phrases = index.glossary_phrases() if any(" " in t.asked for t in terms) else []
    out: list[Term] = []
    changed = False
    for term in terms:
        if " " in term.asked:  # a phrase written nowhere as such: its words, the glossary's phrases kept
            parts = joined_phrases(term.asked.split(), phrases, LONGEST_PHRASE)
        else:
            pieces = _SCRIPTS.split(term.asked)
            parts = [
                p for piece in pieces for p in (segment(piece, known, longest) if not piece.isascii() else [piece])
            ]
            parts = list(dict.fromkeys(p for p in parts if p))
        if len(parts) > 1 and not (whole and whole(term)):
            changed = True
            out += [_prepared(index, p)._replace(split_from=term.asked) for p in parts]
        else:
            out.append(term)
    return out if changed else None


def segment(text: str, known: set[str], longest: int) -> list[str]:
    """`text` cut into the longest known words, left to right, with what lies between them as words too.

    Single characters between known words (型, 的) are left out.
    """
    parts: list[str] = []
    rest = ""
    i = 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + n] in known:
                if len(rest) > 1:
                    parts.append(rest)
                rest = ""
                parts.append(text[i : i + n])
                i += n
                break
        else:
            rest += text[i]
            i += 1
    if len(rest) > 1:
        parts.append(rest)
    return list(dict.fromkeys(parts))


def _exact_id(index: Index, terms: Sequence[str]) -> Fact | None:
    """The fact whose id the whole query is, typed exactly (case and spaces aside)."""
    query = " ".join(" ".join(terms).split()).casefold()
    return index.fact(query) if query and len(query) < 200 else None


def prepare(index: Index, terms: Sequence[str]) -> list[Term]:
    """The distinct normalised terms, phrases of the glossary joined, each with its spellings and topics."""
    asked = unique(terms)
    if len(asked) > MAX_TERMS * LONGEST_PHRASE:  # more than joining phrases could bring down to the limit
        raise UsageError(f"too many different search terms ({len(asked)}); at most {MAX_TERMS}")
    phrases = index.glossary_phrases() if len(asked) > 1 else []
    if phrases:  # a phrase may repeat a word (`year on year`): joined before repeats are dropped, where few
        typed = normalised_all(terms) if len(terms) <= MAX_TERMS * LONGEST_PHRASE else asked
        asked = unique(joined_phrases(typed, phrases, LONGEST_PHRASE))
    if len(asked) > MAX_TERMS:
        raise UsageError(f"too many different search terms ({len(asked)}); at most {MAX_TERMS}")
    prepared = [_prepared(index, term) for term in asked]
    if phrases and any(t.corrected for t in prepared):
        prepared = _rejoined(index, prepared, phrases)
    return prepared


def _rejoined(index: Index, terms: list[Term], phrases: Sequence[str]) -> list[Term]:
    """The terms, where corrected words make a phrase of the glossary, joined into it: `foreign investmnet`
    is `foreign investment`, as `foreign investment` is."""
    spelled = [t.corrected or t.asked for t in terms]
    out: list[Term] = []
    at = 0
    for item in joined_phrases(spelled, phrases, LONGEST_PHRASE):
        n = next(n for n in range(1, len(spelled) - at + 1) if " ".join(spelled[at : at + n]) == item)
        part, at = terms[at : at + n], at + n
        if n == 1:
            out.append(part[0])
        else:
            out.append(_term(index, item, asked=" ".join(t.asked for t in part))._replace(corrected=item))
    return out


def _prepared(index: Index, term: str) -> Term:
    """One term ready to match; an English word no fact holds read as the closest word of the file (a typo).

    A phrase is never read as another word as a whole: where no fact says it, its words are searched
    for (`_split_terms`), each corrected on its own (`"pension insurence"`).
    """
    prepared = _term(index, term)
    if not prepared.found_somewhere and not is_substring_term(term) and " " not in term:
        close = _closest_word(index, term)
        if close is not None:
            prepared = _term(index, close, asked=term)._replace(corrected=close)
    return prepared


def _term(index: Index, term: str, asked: str | None = None) -> Term:
    from .index import ID_FIELD, LABEL_FIELD, TEXT_FIELD, UNIT_FIELD, WHOLE_LABEL
    from .text import key

    spellings = [term, *index.glossary_group(term)]
    if not term.isascii() and holds_traditional(index):  # 增长 finds 增長 (a term is simplified as it is normalised)
        spellings += [t for s in spellings for t in traditional_spellings(s)]
    alternatives = tuple(alternative(s) for s in dict.fromkeys(spellings))
    named_slugs: set[str] = set()
    alias_slugs: set[str] = set()
    possible = [0, 0, 0, 0]
    reachable: list[Alternative] = []  # the spellings some fact's own words can hold: only these are looked for
    asked_alt = alternatives[0]  # a topic is named by the term itself, never by a glossary word for it
    for slug, by_alias in index.topics_called(asked_alt.text, None if asked_alt.substring else key(asked_alt.text)):
        (alias_slugs if by_alias else named_slugs).add(slug)
    for alt in alternatives:
        if alt.substring:
            cjk = not alt.text.isascii()
            written = index.written_anywhere(chinese_pieces(alt.text)) if cjk else True
            label = written and (index.word_holds(alt.text, LABEL_FIELD) if cjk else True)
            whole = index.has_word(alt.text, WHOLE_LABEL)
            can = (
                LABEL_IS if whole else LABEL if label else 0,
                0 if cjk else ID,
                OTHER * written,
                OTHER * _in_units(alt),
            )
        else:

            def anywhere(field: int, wanted: frozenset[str] = alt.wanted) -> bool:
                return all(any(stem(w) == s for w in index.words_starting(root(s), field)) for s in wanted)

            text = not alt.text.isascii() or anywhere(TEXT_FIELD)
            whole = index.has_word(key(alt.text), WHOLE_LABEL)
            in_label = LABEL_IS if whole else LABEL if anywhere(LABEL_FIELD) else 0
            can = (in_label, ID * anywhere(ID_FIELD), OTHER * text, OTHER * (_in_units(alt) or anywhere(UNIT_FIELD)))
        possible = [max(a, b) for a, b in zip(possible, can, strict=True)]
        if any(can):
            reachable.append(alt)
    named = index.topic_positions(named_slugs, primary_only=False)
    named_weights = {p: TOPIC if primary else SECONDARY_TOPIC for p, primary in named.items()}
    aliased = {p: TOPIC for p in index.topic_positions(alias_slugs - named_slugs, primary_only=True)}
    topic = max(named_weights.values(), default=0)
    return Term(
        asked or term,
        tuple(reachable),
        named_weights,
        sorted(named_weights),
        aliased,
        sorted(aliased),
        max(*possible, topic),
        int(TOPIC in named_weights.values() or bool(aliased)),
        any(possible),
    )


@functools.lru_cache(maxsize=8)
def holds_traditional(index: Index) -> bool:
    """Whether some quote or label of the file is written in traditional characters (a character outside GB 2312)."""
    from .index import CHINESE

    rows = index.conn.execute("SELECT word FROM words WHERE field = ? AND length(word) = 1", (CHINESE,))
    return needs_simplifying("".join(word for (word,) in rows))


def _in_units(alt: Alternative) -> bool:
    """Whether some unit's names (亿元, CNY, 100 million yuan) hold this spelling."""
    return any(alt.text in u if alt.substring else alt.wanted <= stems(u) for u in _UNITS)


def _closest_word(index: Index, word: str) -> str | None:
    """The word of the file a word no fact holds is a typo of: industy → industry (None when none is).

    difflib finds the close words; `is_typo` keeps those one slip of the keys away, so that a real
    word the file does not hold (`patents`, `sales`) is not read as another (`parents`, `scale`).
    """
    import difflib

    close = difflib.get_close_matches(word, index.vocabulary(), n=5, cutoff=0.8)
    return next((c for c in close if is_typo(word, c)), None)


def is_typo(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip: a letter left out, doubled or added, two letters
    swapped, or, in a word of eight letters or more, one letter wrong; two slips in a word of ten or more.

    A typo keeps its first letter (`spending` is no `ending`). A short word with one letter wrong is
    as often another word (`patents`, `parents`; `rate`, `date`) as a typo: it is not corrected, and
    nothing found says which words are close.
    """
    if typed[:1] != word[:1] or typed == word:
        return False
    edits, substituted = _slips(typed, word)
    if edits == 1:
        return not substituted or len(typed) >= 8
    return edits == 2 and len(typed) >= 10


def _slips(a: str, b: str) -> tuple[int, bool]:
    """The fewest edits from `a` to `b` (a letter in, out, changed, or two adjacent ones swapped), and
    whether a changed letter is among them: optimal string alignment distance, with its kinds."""
    rows = [[(j, False) for j in range(len(b) + 1)]]
    for i in range(1, len(a) + 1):
        row = [(i, False)]
        for j in range(1, len(b) + 1):
            same = a[i - 1] == b[j - 1]
            options = [
                (rows[i - 1][j][0] + 1, rows[i - 1][j][1]),
                (row[j - 1][0] + 1, row[j - 1][1]),
                (rows[i - 1][j - 1][0] + (not same), rows[i - 1][j - 1][1] or not same),
            ]
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1] and not same:
                options.append((rows[i - 2][j - 2][0] + 1, rows[i - 2][j - 2][1]))
            row.append(min(options))
        rows.append(row)
    return rows[-1][-1]


def _no_words(terms: list[Term]) -> Iterator[tuple[int, array[int], bytes]]:
    """Stand-ins for the haystacks where no term can be in a fact's own words: only topics find facts,
    so the facts' text need not be read. One empty haystack spans every position a term's topics hold."""
    from array import array

    positions = [p for t in terms for p in (*t.named_positions, *t.aliased_positions)]
    if positions:
        first, last = min(positions), max(positions)
        yield first, array("q", range(last - first + 1)), b""


def _in_chunk(positions: list[int], first: int, count: int) -> list[int]:
    """The positions that fall in the haystack of `count` facts starting at `first`, as places in it."""
    lo, hi = bisect_left(positions, first), bisect_left(positions, first + count)
    return [p - first for p in positions[lo:hi]]


def _ranked(index: Index, terms: list[Term], limit: int | None) -> tuple[list[int], bool]:
    """Positions of the facts matching every term, best first; and whether they were found by alias only."""
    from .index import holders, holds

    if not all(t.found_somewhere for t in terms):
        return [], False
    weighs = [_weighs_typed(t) for t in terms]
    typed = sum(w and t.alternatives[0].text == t.asked for w, t in zip(weighs, terms, strict=True))
    best_key = (0, -typed, -sum(t.bound for t in terms), -sum(t.in_topic for t in terms))
    # (topic only, -score, -topic weights, -terms whose typed word gives their best place, position)
    ranked: list[tuple[int, int, int, int, int]] = []
    by_alias: list[tuple[int, int, int, int, int]] = []
    at_best = 0
    labelled: set[int] = set()  # the quotes (hashed) of facts a term hits in the label or id
    quote_only: dict[int, int] = {}  # position → quote (hashed) of the facts that every term hits only there
    sep = SEPARATOR
    chunks = index.haystacks() if any(t.own for t in terms) else _no_words(terms)
    for first, starts, text in chunks:
        count = len(starts)
        held: set[int] | None = None
        found_by: list[list[set[int]]] = []  # for each term, the facts each spelling may hit
        scanned: dict[bytes, set[int]] = {}  # a needle several spellings share is looked for once
        for term in terms:
            hits: set[int] = set()
            spellings: list[set[int]] = []
            for alt in term.alternatives if term.own else ():
                found: set[int] | None = None
                for needle in alt.needles:
                    within = found if found is not None else held
                    if within is not None and len(within) * 8 < count:
                        found = {k for k in within if holds(text, starts, k, needle)}
                    else:
                        if needle not in scanned:
                            scanned[needle] = holders(text, starts, needle)
                        found = scanned[needle] if within is None else within & scanned[needle]
                    if not found:
                        break
                spellings.append(found or set())
                hits |= found or set()
            found_by.append(spellings or [set() for _ in term.alternatives])
            hits.update(_in_chunk(term.named_positions, first, count))
            hits.update(_in_chunk(term.aliased_positions, first, count))
            held = hits if held is None else held & hits
            if not held:
                break
        for k in sorted(held or ()):
            end = starts[k + 1] if k + 1 < count else len(text)
            fields = text[starts[k] + 1 : end].decode("utf-8").split(sep) if text else ["", "", "", ""]
            position = first + k
            own_all, alias_only, score, in_topic, labels, exact = True, False, 0, 0, False, 0
            for term, spellings, weighed in zip(terms, found_by, weighs, strict=True):
                own = mine = 0
                for alt, f in zip(term.alternatives, spellings, strict=True):
                    if k in f:
                        place = alt.best(fields)
                        own = max(own, place)
                        mine = place if alt.text == term.asked else mine
                exact += weighed and 0 < mine == own  # the word typed, not only a glossary word for it
                topic = term.named.get(position, 0)
                if not own and not topic:
                    if position not in term.aliased:
                        break
                    alias_only, topic = True, term.aliased[position]
                own_all = own_all and own > 0
                labels = labels or own >= ID
                score += max(own, topic)
                in_topic += topic == TOPIC or position in term.aliased
            else:
                key = (not own_all, -exact, -score, -in_topic, position)
                if alias_only:
                    by_alias.append(key)
                    continue
                ranked.append(key)
                at_best += key[:4] == best_key
                if labels:
                    labelled.add(hash(fields[2]))
                elif own_all and score == len(terms) * OTHER:
                    quote_only[position] = hash(fields[2])
        if limit is not None and at_best >= limit:
            break  # nothing further on can rank higher: ties go in file order
    # A sentence with several figures is several facts sharing the quote: where the term names one of
    # them in its label, its siblings that only share the quote are the sentence's other figures.
    ranked = [k for k in ranked if quote_only.get(k[-1], 0) not in labelled or k[-1] not in quote_only]
    chosen, alias = (ranked, False) if ranked or not by_alias else (by_alias, True)
    best = heapq.nsmallest(limit, chosen) if limit is not None else sorted(chosen)
    return [key[-1] for key in best], alias


def _weighs_typed(term: Term) -> bool:
    """Whether facts the term finds by the word typed rank before those it finds by a glossary word only
    (`city share` before a label's bare `share`). Not for a term naming a topic (`industry`): its
    facts keep the file's order, which lists a topic's main facts first."""
    return bool(term.alternatives) and not term.in_topic


def _key_text(terms: Iterable[Term]) -> str:
    return " ".join(t.asked for t in terms)


def nothing_found(index: Index, terms: Sequence[str]) -> str:
    """Why a search found nothing, in one line: which terms find something alone, or what was probably meant."""
    prepared = prepare(index, terms)
    asked = _key_text(prepared)
    found_alone: dict[str, bool] = {}  # each term's pass over the facts made once

    def finds(term: Term) -> bool:
        if term.asked not in found_alone:
            found_alone[term.asked] = bool(index.retrying(functools.partial(_ranked, index, [term], 1))[0])
        return found_alone[term.asked]

    # As the search tried them last: a phrase (or Chinese term) that finds nothing alone, by its words.
    tried = _split_terms(index, prepared, whole=finds) or prepared
    prepared = list({t.asked: t for t in tried}.values())  # once each
    content = [t for t in prepared if (t.corrected or t.asked) not in FILLER]
    prepared = content or prepared  # `of`, `number`: words of a question, never worth asking for alone
    if len(prepared) > 1:
        alone = [t for t in prepared if finds(t)]
        if len(alone) == len(prepared):
            ask = " or ".join(f"`lj-facts search {_quoted(t.corrected or t.asked)}`" for t in prepared)
            return f"no fact matches all of {_shown(asked)} together, though each term alone finds facts: ask {ask}"
        missing = [t.asked for t in prepared if t not in alone]
        hints = suggest(index.vocabulary(), missing)
        hint = f"; did you mean: {', '.join(hints)}?" if hints else "; see the topics with `lj-facts topics`"
        searched = f" (searched for {_shown(asked)})" if len(missing) < len(prepared) else ""
        return f"nothing matches {_shown(' '.join(missing))}{searched}{hint}"
    hints = suggest(index.vocabulary(), [t.asked for t in prepared])
    hint = f"; did you mean: {', '.join(hints)}?" if hints else "; see the topics with `lj-facts topics`"
    return f"nothing matches {_shown(asked)}{hint}"


def _shown(text: str, width: int = 80) -> str:
    """Terms as a message quotes them: in quotes, cut short past `width` characters."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _quoted(term: str) -> str:
    """A term as a shell takes it back: `R&D` as 'R&D', `foreign investment` as 'foreign investment'."""
    import re
    import shlex

    if re.fullmatch(r"[\w.\-/:@%+,]+", term):
        return term  # Chinese needs no quotes
    if "'" in term and not re.search(r'["$`\\!]', term):
        return f'"{term}"'  # liangjiang's: "liangjiang's", not 'liangjiang'"'"'s'
    return shlex.quote(term)


def notes(found: Found) -> list[str]:
    """What the user should know about how the terms were read: corrections, alias-only answers."""
    said = [f"no fact says {_shown(t.asked)}; searched for {t.corrected!r}" for t in found.terms if t.corrected]
    for whole in dict.fromkeys(t.split_from for t in found.terms if t.split_from):
        parts = " ".join(t.corrected or t.asked for t in found.terms if t.split_from == whole)
        said.append(f"no fact says {_shown(whole)}; searched for its words together: {parts}")
    if found.left_out:
        said.append(f"nothing matches with {_shown(' '.join(found.left_out))}; searched without")
    if found.by_alias and found.facts:
        said.append(
            f"no fact says {_shown(_key_text(found.terms))}; these are the facts of the topic it is an alias of"
        )
    return said


def search_city_figures(figures: Iterable[CityFigure], terms: Sequence[str]) -> list[CityFigure]:
    """The published city figures whose label, Chinese label or id matches every term, in file order
    (the one whose id the terms are first).

    Terms are normalised and match as they do for facts: Chinese terms and terms with digits as
    substrings, English terms as words and their plurals.
    """
    wanted = unique(terms)
    figures = list(figures)
    said = " ".join(wanted)
    exact = [f for f in figures if said == f.id.casefold()]  # an exact id first, as for facts
    exact += [f for f in figures if f not in exact and said in (fold(f.label), fold(f.label_zh))]  # then a label
    found = list(exact)
    for figure in figures:
        if figure in exact:
            continue
        text = fold(" ".join((figure.label, figure.label_zh, figure.id)))
        words_in = stems(text)
        if wanted and all(t in text if is_substring_term(t) else stems(t) <= words_in for t in wanted):
            found.append(figure)
    return found


def suggest(vocabulary: Iterable[str], terms: Sequence[str], limit: int = 3) -> list[str]:
    """Topic names and label words close to `terms`: "industy" → "industry"."""
    import difflib

    choices = sorted(set(vocabulary))
    found: list[str] = []
    for term in terms:
        word = fold(term)
        for match in difflib.get_close_matches(word, choices, n=limit * 3, cutoff=0.75):
            if match[:1] == word[:1] and match not in found:  # a typo keeps its first letter (`_closest_word`)
                found.append(match)
    return found[:limit]


def closest_ids(ids: Sequence[str], fact_id: str, limit: int = 3) -> list[str]:
    """Fact ids close to a mistyped one (none for a text far longer than any id: no id is close to a
    megabyte of it, and difflib would index every character of it to find that out)."""
    import difflib

    if len(fact_id) > 4 * max(map(len, ids), default=0):
        return []
    close = difflib.get_close_matches(fact_id.casefold(), ids, n=limit, cutoff=0.6)
    return close or [i for i in ids if fact_id.casefold() in i][:limit]
