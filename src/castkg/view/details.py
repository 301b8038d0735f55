"""The sentences and articles of a page's nodes and links, gathered within the page's budgets.

A page (:func:`castkg.view.render.page_data`) shows every sentence and every article of its links
and detailed nodes while they fit its budgets; past them, a few of each, first in sorted order,
and how many it leaves out. :class:`PageDetails` gathers them one statement at a time
(:class:`castkg.view.model.Projection` when it reads a page's details) and keeps no more than
that page shows: all the sentences while those met so far fit SENTENCE_BUDGET; once they do not,
each node's and link's first few (:class:`Sample`) and, to count the rest, a 16-byte digest of
each (:class:`Distinct`). Articles are kept as numbers (4 bytes a reference), cut when the page
is made, when what each article is (its date, file and title) is known. So memory grows with the
page and with the number of distinct sentences (16 bytes each), not with their text.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

DIGEST_SIZE = 16
"""Bytes of a sentence's BLAKE2b digest: two different sentences are counted as one only if their
digests collide (about n² / 2^129 for n sentences: never, in practice)."""

_SPARE = 64
"""Records (numbers) held beyond the distinct ones and half as many again before they are merged."""


def digest(text: str) -> bytes:
    """The 16-byte BLAKE2b digest of ``text`` (UTF-8), by which :class:`Distinct` counts it."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


@dataclass(frozen=True)
class PageBudget:
    """The budgets a page cuts its details to (castkg.view.render's, read when the page is made):
    characters of sentences in all and, past them, the sentences each link and each detailed node
    shows; references to articles in all and, past them, the articles each detailed node shows
    (each link shows one)."""

    sentences: int
    link_sentences: int
    node_sentences: int
    articles: int
    node_articles: int


class Distinct:
    """How many distinct digests (:func:`digest`) were added, held as records in ``parts`` byte
    arrays by their first byte, each deduplicated whenever it has grown by half: at most about
    1.5 × 16 bytes per distinct digest, and a merge never holds more than one part as Python
    objects."""

    __slots__ = ("_parts", "_unique")

    def __init__(self, parts: int = 1) -> None:
        self._parts = [bytearray() for _ in range(parts)]
        self._unique = [0] * parts

    def add(self, record: bytes) -> None:
        """Count ``record`` (a digest)."""
        index = record[0] % len(self._parts) if len(self._parts) > 1 else 0
        part = self._parts[index]
        part += record
        if len(part) >= (self._unique[index] * 3 // 2 + _SPARE) * DIGEST_SIZE:
            self._merge(index)

    def update(self, other: Distinct) -> None:
        """Count every digest ``other`` counts."""
        for record in other.records():
            self.add(record)

    def records(self) -> Iterator[bytes]:
        """Every distinct digest, each once."""
        for index in range(len(self._parts)):
            self._merge(index)
            part = self._parts[index]
            for start in range(0, len(part), DIGEST_SIZE):
                yield bytes(part[start : start + DIGEST_SIZE])

    def _merge(self, index: int) -> None:
        part = memoryview(self._parts[index])
        unique = {part[start : start + DIGEST_SIZE].tobytes() for start in range(0, len(part), DIGEST_SIZE)}
        part.release()
        self._parts[index] = bytearray(b"".join(unique))
        self._unique[index] = len(unique)

    def __len__(self) -> int:
        for index in range(len(self._parts)):
            self._merge(index)
        return sum(self._unique)


class Numbers:
    """Distinct small non-negative numbers (articles), 4 bytes each: an array deduplicated whenever
    it has grown by half."""

    __slots__ = ("_unique", "_values")

    def __init__(self) -> None:
        self._values = array("I")
        self._unique = 0

    def add(self, number: int) -> None:
        """Hold ``number``."""
        self._values.append(number)
        if len(self._values) >= self._unique * 3 // 2 + _SPARE:
            self._merge()

    def _merge(self) -> None:
        self._values = array("I", sorted(set(self._values)))
        self._unique = len(self._values)

    def values(self) -> array[int]:
        """The numbers held, each once, ascending."""
        if len(self._values) != self._unique:
            self._merge()
        return self._values


class Sample:
    """The sentences of one node or link of a page: all of them (``whole``) until the page's
    sentences pass their budget (:meth:`cut`), then the ``cap`` first in sorted order (``first``)
    and, to count them all, a :class:`Distinct` of their digests (``seen``)."""

    __slots__ = ("first", "seen", "whole")

    def __init__(self) -> None:
        self.whole: set[str] | None = set()
        self.first: list[str] = []
        self.seen: Distinct | None = None

    def add(self, text: str, cap: int) -> None:
        """Take ``text``: into ``whole`` while there is one, else among the first ``cap``."""
        if self.whole is not None:
            self.whole.add(text)
            return
        assert self.seen is not None
        self.seen.add(digest(text))
        first = self.first
        if len(first) < cap or text < first[-1]:
            at = bisect_left(first, text)
            if at == len(first) or first[at] != text:
                first.insert(at, text)
                del first[cap:]

    def cut(self, cap: int) -> None:
        """Keep the first ``cap`` sentences from now on, and count the others."""
        if self.whole is None:
            return
        self.seen = Distinct()
        for text in self.whole:
            self.seen.add(digest(text))
        self.first = sorted(self.whole)[:cap]
        self.whole = None

    def texts(self) -> tuple[str, ...]:
        """The sentences kept, sorted: all of them, or the first ``cap`` once cut."""
        return tuple(sorted(self.whole)) if self.whole is not None else tuple(self.first)

    def count(self) -> int:
        """How many distinct sentences were taken."""
        if self.whole is not None:
            return len(self.whole)
        assert self.seen is not None
        return len(self.seen)


class PageDetails:
    """The sentences (by node and by link) and the articles (by node and by link) of a page's
    nodes and links, gathered within ``budget`` (see the module)."""

    def __init__(self, budget: PageBudget) -> None:
        self.budget = budget
        self.node_sentences: dict[str, Sample] = {}
        self.link_sentences: dict[tuple[str, str, str], Sample] = {}
        self.node_articles: dict[str, Numbers] = {}
        self.link_articles: dict[tuple[str, str, str], Numbers] = {}
        self.iris: list[str] = []
        """The articles by number."""
        self._numbers: dict[str, int] = {}
        self._texts: dict[str, str] | None = {}
        """Every sentence taken, one copy of each, while they fit the budget (None: past it)."""
        self._size = 0

    @property
    def cut(self) -> bool:
        """Whether the sentences taken are past the budget (each sample keeps its first few)."""
        return self._texts is None

    def node_said(self, node: str, texts: Iterable[str]) -> None:
        """Take sentences of ``node`` (its own, or of a statement about it)."""
        cap = self.budget.node_sentences
        sample = self.node_sentences.get(node)
        if sample is None:
            sample = self.node_sentences[node] = self._sample(cap)
        self._take(sample, texts, cap)

    def link_said(self, link: tuple[str, str, str], texts: Iterable[str], articles: Iterable[str]) -> None:
        """Take the sentences and articles of a statement of ``link`` (subject, property, object)."""
        cap = self.budget.link_sentences
        sample = self.link_sentences.get(link)
        if sample is None:
            sample = self.link_sentences[link] = self._sample(cap)
        self._take(sample, texts, cap)
        found = self.link_articles.get(link)
        if found is None:
            found = self.link_articles[link] = Numbers()
        for article in articles:
            found.add(self.number(article))

    def mention(self, node: str, article: str) -> None:
        """Take one article that names ``node``."""
        found = self.node_articles.get(node)
        if found is None:
            found = self.node_articles[node] = Numbers()
        found.add(self.number(article))

    def number(self, article: str) -> int:
        """The number of ``article`` (an IRI), given when it is first met."""
        number = self._numbers.get(article)
        if number is None:
            number = self._numbers[article] = len(self.iris)
            self.iris.append(article)
        return number

    def articles_of(self, numbers: Numbers | None) -> array[int]:
        """The article numbers held (none for None), each once."""
        return numbers.values() if numbers is not None else array("I")

    def _sample(self, cap: int) -> Sample:
        """A new sample, already cut to ``cap`` when the budget is passed."""
        sample = Sample()
        if self.cut:
            sample.cut(cap)
        return sample

    def _take(self, sample: Sample, texts: Iterable[str], cap: int) -> None:
        known = self._texts
        if known is None:
            for text in texts:
                sample.add(text, cap)
            return
        for text in texts:
            if text not in known:
                known[text] = text
                self._size += len(text)
            sample.add(known[text], cap)
        if self._size > self.budget.sentences:
            self._cut_all()

    def _cut_all(self) -> None:
        """Past the budget: every sample keeps its first few from now on."""
        for sample in self.node_sentences.values():
            sample.cut(self.budget.node_sentences)
        for sample in self.link_sentences.values():
            sample.cut(self.budget.link_sentences)
        self._texts = None
