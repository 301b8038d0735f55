"""Issue 10: a page's sentences and articles are gathered within its budgets (castkg.view.details),
keeping of each node and link what the page can show and the number of the rest."""

from __future__ import annotations

import random

from castkg.view.details import Distinct, Numbers, PageBudget, PageDetails, Sample, digest

BUDGET = PageBudget(sentences=40, link_sentences=2, node_sentences=3, articles=10, node_articles=2)


def test_distinct_counts_each_text_once_whatever_the_order_and_the_parts() -> None:
    texts = [f"句子{i % 700}" for i in range(5_000)]
    random.Random(1).shuffle(texts)
    for parts in (1, 8):
        seen = Distinct(parts)
        for text in texts:
            seen.add(digest(text))
        assert len(seen) == 700
        union = Distinct(parts)
        union.update(seen)
        union.add(digest("另一句"))
        assert len(union) == 701 and len(seen) == 700


def test_numbers_hold_each_number_once_in_order() -> None:
    numbers = Numbers()
    values = [random.Random(2).randrange(300) for _ in range(2_000)]
    for value in values:
        numbers.add(value)
    assert list(numbers.values()) == sorted(set(values))


def test_a_sample_cut_keeps_its_first_sentences_sorted_and_counts_the_rest() -> None:
    texts = [f"s{i:03d}" for i in range(50)]
    shuffled = texts * 2
    random.Random(3).shuffle(shuffled)
    whole, cut = Sample(), Sample()
    for text in shuffled[:10]:
        whole.add(text, 3)
        cut.add(text, 3)
    cut.cut(3)
    for text in shuffled[10:]:
        whole.add(text, 3)
        cut.add(text, 3)
    assert whole.texts() == tuple(texts) and whole.count() == 50
    assert cut.texts() == tuple(texts[:3]) and cut.count() == 50


def test_the_details_are_whole_within_the_budget_and_cut_past_it() -> None:
    details = PageDetails(BUDGET)
    details.node_said("a", ["甲" * 10, "乙" * 10])
    details.link_said(("a", "p", "b"), ["甲" * 10, "丙" * 10], ["art2", "art1", "art2"])
    assert not details.cut  # 30 characters of distinct sentences
    assert details.node_sentences["a"].texts() == ("乙" * 10, "甲" * 10)
    details.node_said("b", ["丁" * 10, "戊" * 10, "己" * 10])
    assert details.cut  # 60 characters
    details.node_said("c", [f"句{i}" for i in range(9)])  # met after the cut: cut from the start
    details.link_said(("a", "p", "b"), ["丙" * 10, "庚"], [])
    assert details.node_sentences["c"].texts() == ("句0", "句1", "句2")
    assert details.node_sentences["c"].count() == 9 and details.node_sentences["b"].count() == 3
    link = details.link_sentences[("a", "p", "b")]
    assert link.texts() == ("丙" * 10, "庚") and link.count() == 3
    articles = details.articles_of(details.link_articles[("a", "p", "b")])
    assert [details.iris[n] for n in articles] == ["art2", "art1"]
