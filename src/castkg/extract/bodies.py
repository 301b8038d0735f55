"""Bodies below the province named by their level alone (县科协, 市委, 省委宣传部): which body of
the article they stand for.

Local news names its own bodies by level: 县科协 after 潢川县科协, 市科协 in a page on 哈尔滨,
省委 in a page on 四川. A bare name is the full body the article names that ends with it, else the
body of the place the article writes with that level (哈尔滨市 → 哈尔滨市科协); else it stays
bare, and resolve keeps it apart from other articles' (:func:`is_bare_local_body`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from castkg.model import Mention
from castkg.registry import WORDS
from castkg.rules import Rules

LOCAL_LEVELS = WORDS.need("local_levels")
LOCAL_BODIES = WORDS.need("local_bodies")
LOCAL_DEPARTMENTS = WORDS.need("local_departments")
VENUE_PLACE_HEADS = WORDS.need("venue_place_heads")


def is_bare_local_body(name: str, rules: Rules) -> bool:
    """Is ``name`` a level and a body alone, maybe with a department (县科协, 省委宣传部)?"""
    level = next((w for w in rules.words(LOCAL_LEVELS) if name.startswith(w)), None)
    if level is None or len(name) <= len(level):
        return False
    rest = name[len(level) :]
    for department in rules.words(LOCAL_DEPARTMENTS):
        if rest.endswith(department) and rest != department:
            rest = rest[: -len(department)]
            break
    return rest in rules.words(LOCAL_BODIES)


def is_bare_local_venue(name: str, rules: Rules) -> bool:
    """Is ``name`` a level and a venue alone (市文化中心, 县人民广场): the venue of a place unnamed?"""
    level = next((w for w in rules.words(LOCAL_LEVELS) if name.startswith(w)), None)
    rest = name[len(level) :] if level else ""
    return bool(rest) and rest.endswith(rules.words(VENUE_PLACE_HEADS).words)


def is_bare_local_name(mention: Mention, rules: Rules) -> bool:
    """Is the mention a body or venue named by its level alone (县科协, 市文化中心)?"""
    name = mention.label or mention.surface
    if mention.cls == "Organization":
        return is_bare_local_body(name, rules)
    return mention.cls == "Place" and is_bare_local_venue(name, rules)


def name_bare_bodies(
    mentions: Mapping[int, Sequence[Mention]], rules: Rules, dateline_place: Mention | None = None
) -> dict[int, list[Mention]]:
    """The article's mentions (by sentence), each bare local body (or venue: 市文化中心) given the full
    name it stands for as label (its written form stays a name of it; a department's parent
    follows), and so each bare parent of a unit (市科协|所属学会); the full name is a body the article
    names (maybe only before one of its units), else the body of its place; the place of the
    article's dateline is where its bodies are before any place its text names."""
    every = [m for index in sorted(mentions) for m in mentions[index]]
    named = [m.label or m.surface for m in every if m.cls == "Organization"]
    # a body named only before its unit (上海市科协|学会部) is named too
    parents = [m.parent for m in every if m.cls == "Organization" and m.parent]
    bodies = [name for name in (*named, *parents) if not is_bare_local_body(name, rules)]
    places = ([dateline_place] if dateline_place else []) + [m for m in every if m.cls == "Place"]
    found: dict[int, list[Mention]] = {}
    for index in sorted(mentions):
        found[index] = []
        for mention in mentions[index]:
            name = mention.label or mention.surface
            if is_bare_local_name(mention, rules):
                full = _full_name(name, bodies, places, rules)
                if full is not None:
                    parent = full[: len(full) - len(name) + len(mention.parent)] if mention.parent else None
                    mention = replace(
                        mention, label=full, alt_labels=(*mention.alt_labels, name), parent=parent
                    )
            elif (
                mention.cls == "Organization" and mention.parent and is_bare_local_body(mention.parent, rules)
            ):
                full = _full_name(mention.parent, bodies, places, rules)  # 市科协|所属学会
                mention = replace(mention, parent=full or mention.parent)
            found[index].append(mention)
    return found


def _full_name(name: str, bodies: Sequence[str], places: Sequence[Mention], rules: Rules) -> str | None:
    """The full name a bare local body stands for in the article, if it names one."""
    whole = [b for b in bodies if b.endswith(name) and len(b) > len(name)]
    if whole:
        return whole[0]
    level = next(w for w in rules.words(LOCAL_LEVELS) if name.startswith(w))
    for place in places:
        written = _written_with_level(place, level, rules)
        if written is not None:
            return written + name[len(level) :]
    enclosing = _enclosing_written(places, level, rules)
    if enclosing is None:
        enclosing = _opening_place(bodies, level, rules)
    return enclosing + name[len(level) :] if enclosing is not None else None


def _opening_place(bodies: Sequence[str], level: str, rules: Rules) -> str | None:
    """The known place written with ``level`` that opens the article's first body so named
    (金华市|女科技工作者协会 → 金华市), for a bare venue (市文化中心) of a page naming no place alone."""
    for body in bodies:
        end = body.find(level, 2) + len(level)
        entry = rules.lookup(body[:end]) if end > len(level) else None
        if entry is not None and entry.cls == "Place":
            return body[:end]
    return None


def _enclosing_written(places: Sequence[Mention], level: str, rules: Rules) -> str | None:
    """The one place at ``level`` that encloses the article's places, written with it (a page on
    德阳 and 旌阳 calls 四川省科协 省科协), when they are all within the same one."""
    found = set()
    for place in places:
        entry = rules.gazetteer.get(place.key) if place.key else None
        while entry is not None and entry.within:
            entry = rules.gazetteer.get(entry.within)
            if entry is not None and entry.label + level in entry.all_names:
                found.add(entry.label + level)
    return next(iter(found)) if len(found) == 1 else None


def _written_with_level(place: Mention, level: str, rules: Rules) -> str | None:
    """The place's name with ``level`` (哈尔滨市, 陕西省), when the text or the gazetteer writes it so."""
    for form in (place.surface, *place.alt_labels):
        if form.endswith(level) and len(form) > len(level) + 1 and not form[: -len(level)].endswith(level):
            return form
    entry = rules.gazetteer.get(place.key) if place.key else None
    if entry is not None and entry.label + level in entry.all_names:
        return entry.label + level
    return None
