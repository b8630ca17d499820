"""The one fuzzy matcher (toolkit.catalogs.match) used by merge and by the translation memory."""

from __future__ import annotations

from difflib import SequenceMatcher

import polib
import pytest
from conftest import Project
from hypothesis import given
from hypothesis import strategies as st

from toolkit.catalogs import match
from toolkit.catalogs.match import Matcher
from toolkit.catalogs.memory import Memory, MemoryUnit

# Paragraphs that share most of their words, as the sections of one article do.
SIMILAR = [
    "De psoas verbindt de wervelkolom met de benen en helpt ons rechtop te staan.",
    "De psoas verbindt de wervelkolom met het bekken en helpt ons te lopen.",
    "De psoas verbindt de onderrug met de benen en helpt ons rechtop te zitten.",
    "De iliacus verbindt het bekken met de benen en helpt ons rechtop te staan.",
]


def lcs(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


@pytest.mark.parametrize("index", range(len(SIMILAR)))
def test_a_changed_paragraph_finds_its_own_previous_text_among_similar_ones(index: int) -> None:
    words = SIMILAR[index].split()
    words[5] = "beide"  # one word changed
    found = Matcher(SIMILAR).best(" ".join(words), 0.6)
    assert found is not None and found.index == index
    assert found.score == 2 * (len(words) - 1) / (2 * len(words))


def test_the_threshold_is_respected_exactly() -> None:
    matcher = Matcher(["a b c d e"])
    # Three of five words in common: 2·3/10 = 0.6, right on the threshold.
    assert matcher.best("a b c x y", 0.6) == match.Found(0, 0.6)
    assert matcher.best("a b c x y", 0.6000001) is None
    assert matcher.best("a b x y z", 0.6) is None


def test_ties_go_to_the_earlier_candidate() -> None:
    # Both candidates share two of three words with the query, in order: the same score.
    texts = ["rust adem buik", "rust adem rug"]
    assert Matcher(texts).best("rust adem heup", 0.5) == match.Found(0, 2 / 3)
    assert Matcher(texts[::-1]).best("rust adem heup", 0.5) == match.Found(0, 2 / 3)
    # A perfect score stops the search at the first of equal candidates.
    assert Matcher(["x y", "a b", "a b"]).best("a b", 0.5) == match.Found(1, 1.0)


def test_an_empty_text_matches_nothing_and_is_never_matched() -> None:
    matcher = Matcher(["", "   ", "adem en rust"])
    assert matcher.best("", 0.1) is None
    assert matcher.best(" \n ", 0.1) is None
    assert matcher.best("adem en rust", 0.1) == match.Found(2, 1.0)  # indices keep their place
    assert Matcher([]).best("adem", 0.1) is None


def test_words_no_candidate_has_never_match_each_other() -> None:
    # Unknown words share one code; they must still count as different from every candidate word.
    assert Matcher(["a b c"]).best("x y z", 0.01) is None
    assert Matcher(["a b c"]).best("x x a", 0.01) == match.Found(0, 2 / 6)


def test_words_beyond_the_surrogate_range_are_distinct() -> None:
    texts = [f"w{i}" for i in range(0xD800 + 100)]
    matcher = Matcher(texts)
    for i in (0xD7FF, 0xD800, 0xD800 + 99):
        assert matcher.best(f"w{i}", 1.0) == match.Found(i, 1.0)


def test_without_compact_codes_the_scores_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    query = "De psoas verbindt de wervelkolom met beide benen en helpt ons rechtop te staan."
    compact = Matcher(SIMILAR).best(query, 0.5)
    monkeypatch.setattr(match, "_CODES", 3)  # a vocabulary "too large" for one character a word
    assert Matcher(SIMILAR).best(query, 0.5) == compact


sentences = st.lists(
    st.sampled_from(["adem", "rust", "psoas", "buik", "rug", "de", "en"]), max_size=12
)


@given(a=sentences, b=sentences)
def test_the_score_is_2_lcs_over_n_plus_m_and_at_least_difflib(a: list[str], b: list[str]) -> None:
    found = Matcher([" ".join(b)]).best(" ".join(a), 1e-9)
    if not a or not b or lcs(a, b) == 0:
        assert found is None
        return
    assert found is not None
    assert found.score == 2 * lcs(a, b) / (len(a) + len(b))
    assert found.score >= SequenceMatcher(None, a, b, autojunk=False).ratio()


def test_memory_exact_first_then_near_capped_below_one() -> None:
    units = [
        MemoryUnit("adem en rust in de buik", "Atem und Ruhe im Bauch", "a.po"),
        MemoryUnit(
            "adem  en rust in de buik", "doppelt", "b.po"
        ),  # the same words, spaced otherwise
        MemoryUnit("adem en rust", "Atem und Ruhe", "c.po"),
    ]
    memory = Memory(units, 0.75)
    exact = memory.lookup("adem  en rust in de buik")
    assert exact is not None and exact.exact and exact.unit.origin == "b.po"
    near = memory.lookup("adem en rust in de  buik")  # same words: a perfect score, but not exact
    assert near is not None and not near.exact and near.score == 0.99 and near.unit.origin == "a.po"
    assert near.comment() == "memory: 99% match from a.po, review it"
    changed = memory.lookup("adem en rust in de rug")
    assert changed is not None and changed.unit.origin == "a.po"
    assert changed.comment() == "memory: 83% match from a.po, review it"
    assert memory.lookup("iets heel anders") is None
    assert memory.lookup("") is None


def test_update_gives_each_changed_paragraph_its_own_translation(project: Project) -> None:
    project.source("psoas", "\n\n".join(SIMILAR) + "\n")
    project.run("update")
    path = project.po("de", "psoas")
    po = polib.pofile(str(path))
    for e in po:
        e.msgstr = f"DE {e.msgid}"
    po.save(str(path))
    changed = [p.replace(" ons ", " jou ") for p in SIMILAR]
    project.source("psoas", "\n\n".join(changed) + "\n")
    assert project.run("update") == 0
    po = polib.pofile(str(path))
    for old, new in zip(SIMILAR, changed, strict=True):
        entry = po.find(new)
        assert (
            entry.msgstr == f"DE {old}" and "fuzzy" in entry.flags and entry.previous_msgid == old
        )


def test_a_long_text_finds_the_best_by_a_hair_and_ties_stay_earlier() -> None:
    # 2·3802/11991 and 2·3815/12032 differ by 1.4e-8: the later candidate is better and wins.
    query = [f"q{i}" for i in range(6000)]
    worse = query[:3802] + [f"a{i}" for i in range(5991 - 3802)]
    better = query[:3815] + [f"b{i}" for i in range(6032 - 3815)]
    texts = [" ".join(worse), " ".join(better), " ".join(better)]
    assert Matcher(texts).best(" ".join(query), 0.6) == match.Found(1, 2 * 3815 / 12032)


def test_punctuation_is_split_off_words() -> None:
    # "uit," and "uit." were two different words: the memory offered nothing for the longer sentence.
    assert match.words("Adem rustig in en uit, heel langzaam.") == [
        "Adem", "rustig", "in", "en", "uit", "heel", "langzaam",
    ]  # fmt: skip
    assert match.words("— …") == ["—", "…"]  # marks alone are still something to match
    memory = Memory([MemoryUnit("Adem rustig in en uit.", "Breathe in and out calmly.", "a.po")], 0.75)
    found = memory.lookup("Adem rustig in en uit, heel langzaam.")
    assert found is not None and found.unit.origin == "a.po" and not found.exact
    assert found.score == 2 * 5 / (7 + 5)
    assert found.comment() == "memory: 83% match from a.po, review it"
    assert memory.lookup("Adem rustig in en uit.").exact  # exact stays exact
    assert memory.lookup("Adem rustig in en uit!").score == 0.99  # same words, other marks: near
    # A shared full stop alone does not make two short sentences alike.
    assert Memory([MemoryUnit("De adem is rustig.", "x", "a.po")], 0.5).lookup("De psoas is een spier.") is None
