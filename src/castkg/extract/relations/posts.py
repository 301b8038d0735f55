"""Posts: a person named with a post in a body (中国科协党组书记怀进鹏; 选举万钢为…主席) holds a
ckg:Position; each run of posts belongs to the body at its head, a later body takes the posts after it,
and a post whose title names a body of its own (国家主席 after 中共中央总书记) belongs to none of them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from castkg.extract.relations.common import NoSettings, finder
from castkg.extract.scope import ArticleScope
from castkg.extract.text import CLAUSE_MARKS
from castkg.model import Mention, PositionMention, Sentence
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rule

COORDINATORS = WORDS.need("coordinators")
ROLES = WORDS.need("roles")
POST_JOINERS = WORDS.need("post_joiners")
ELECTED_LINKS = WORDS.need("elected_links")
POST_QUALIFIERS = WORDS.need("post_qualifiers")
TERM_COUNCIL = PATTERNS.need("term_council")


@finder("position", settings=NoSettings, emits=("holds",))
def position(scope: ArticleScope, rule: Rule[NoSettings]) -> list[PositionMention]:
    """People named with their posts (ckg:holds a ckg:Position): see :func:`find_positions`."""
    return find_positions(scope, rule.id)


def find_positions(scope: ArticleScope, rule_id: str) -> list[PositionMention]:
    """ORG + post(s) + PERSON: 中国科协党组书记怀进鹏; 中国科协党组书记、常务副主席张玉卓; a later body
    takes the posts after it (中国工程院院士、四川大学教授李言荣)."""
    found: list[PositionMention] = []
    for sentence in scope.sentences:
        orgs = scope.in_sentence(sentence.index, "Organization", nested=False)
        people = scope.in_sentence(sentence.index, "Person")
        for person in people:
            for org in orgs:
                posts = _posts_between(scope, sentence, org, person, orgs, people)
                if posts:
                    found.extend(
                        PositionMention(sentence.index, person, body, post, rule_id) for body, post in posts
                    )
                    break  # the first body that opens the run of posts
            found.extend(_elected(scope, sentence, person, orgs, scope.rules.words(ROLES).words, rule_id))
            found.extend(_post_after_name(scope, sentence, person, orgs, rule_id))
    return found


def _post_after_name(
    scope: ArticleScope, sentence: Sentence, person: Mention, orgs: Sequence[Mention], rule_id: str
) -> list[PositionMention]:
    """ORG + PERSON + post: 辽宁省科协王元立副主席, 沈阳农业大学迟维意书记."""
    body = next((o for o in orgs if o.end == person.start), None)
    role = scope.rules.words(ROLES).pattern.match(sentence.text, person.end)
    if body is None or role is None:
        return []
    return [PositionMention(sentence.index, person, body, role.group(), rule_id)]


def _posts_between(
    scope: ArticleScope,
    sentence: Sentence,
    org: Mention,
    person: Mention,
    orgs: Sequence[Mention],
    people: Sequence[Mention],
) -> list[tuple[Mention, str]]:
    """The (body, post) pairs written from ``org`` to ``person``: segments ``[BODY]POST`` joined by
    、和及兼; empty unless every segment is a post."""
    text, roles = sentence.text, scope.rules.words(ROLES).words
    if org.end > person.start or person.start - org.end > 40:
        return []
    start = org.end
    others = [p for p in people if org.end <= p.start and p.end <= person.start and p is not person]
    if others:  # 中国科协副主席束为，党组成员、书记处书记王进展: the body is said once for both
        start = others[-1].end
        joiners = scope.rules.words(COORDINATORS)
        while start < person.start and (text[start] in ",， " or text[start] in joiners):
            start += 1
    posts, body, position = [], org, start
    post_joiners = scope.rules.words(POST_JOINERS)
    for segment in _split_keeping(post_joiners.pattern, text[start : person.start]):
        if segment in post_joiners:
            position += len(segment)
            continue
        inner = next((o for o in orgs if o.start == position and o.end < position + len(segment)), None)
        title = segment[inner.end - position :] if inner else segment
        body = inner or body
        if not title or len(title) > 10 or any(c in CLAUSE_MARKS for c in title):
            return []  # posts are short; a clause between the body and the name joins nothing
        posts.append((body, title))
        position += len(segment)
    if not posts:
        return []
    first_body, first_titles = _lift_to_parent(scope, posts[0][0], [posts[0][1]], roles)  # 党组|成员
    posts[0] = (first_body, first_titles[0])
    posts = [(first_body if b is posts[0][0] or b is org else b, t) for b, t in posts]
    if not all(_is_post(title, roles) for _, title in posts):
        return []
    qualifiers = scope.rules.words(POST_QUALIFIERS).words
    return [(b, t) for b, t in posts if _qualifier(t, roles) in ("", *qualifiers)]


def _split_keeping(separator: re.Pattern[str], text: str) -> list[str]:
    """``text`` cut at each match of ``separator``, the separators kept between the pieces
    (``re.split`` with a capturing group)."""
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces += [text[start : match.start()], match.group()]
        start = match.end()
    return [*pieces, text[start:]]


def _is_post(title: str, roles: tuple[str, ...]) -> bool:
    """A post, maybe with a short word before it (名誉主席, 国家主席); 与中国气象局党组成员 is none."""
    role = next((r for r in roles if title.endswith(r)), None)
    return role is not None and len(title) - len(role) <= 2


def _qualifier(title: str, roles: tuple[str, ...]) -> str:
    """What a post's title says before its role (名誉 in 名誉主席, 国家 in 国家主席): a qualifier of
    the post (post_qualifiers), or else the name of the body the post is in, which is then not the
    body at the head of the run."""
    role = next((r for r in roles if title.endswith(r)), title)
    return title[: len(title) - len(role)]


def _elected(
    scope: ArticleScope,
    sentence: Sentence,
    person: Mention,
    orgs: Sequence[Mention],
    roles: tuple[str, ...],
    rule_id: str,
) -> list[PositionMention]:
    """PERSON为/当选/担任 ORG + post: 选举万钢为中国科协第十届全国委员会主席; each of the people
    listed before the link takes the post (张一、李二当选为…副主席)."""
    text = sentence.text
    list_end = scope.coordinated(person)[-1].end  # 张一、李二|当选为: each of the list takes the post
    link = scope.rules.words(ELECTED_LINKS).pattern.match(text, max(person.end, list_end))
    if not link:
        return []
    start = link.end()
    body = next((o for o in orgs if o.start == start), None)
    if body is None:
        return []
    term = scope.rules.pattern(TERM_COUNCIL).match(text, body.end)  # …学会第十届理事会理事长
    role = next((r for r in roles if text.startswith(r, term.end() if term else body.end)), None)
    if role is None:
        return []
    entry = scope.rules.gazetteer.get(body.key) if body.key else None
    if body.parent and not entry:  # 中国科协第十届全国委员会主席 is a post of 中国科协
        parent = scope.rules.lookup(body.parent)
        body = Mention(
            body.sentence,
            body.start,
            body.start + len(body.parent),
            body.parent,
            "Organization",
            body.rule,
            key=parent.id if parent else None,
            label=parent.label if parent else None,
            nested=True,
        )
    return [PositionMention(sentence.index, person, body, role, rule_id)]


def _lift_to_parent(
    scope: ArticleScope, org: Mention, titles: list[str], roles: tuple[str, ...]
) -> tuple[Mention, list[str]]:
    """中国科协党组 + 书记 is a post of 中国科协: 党组书记."""
    entry = scope.rules.gazetteer.get(org.key) if org.key else None
    parent_name = org.parent or (
        scope.rules.gazetteer[entry.part_of].label if entry and entry.part_of else None
    )
    if not parent_name or not titles:
        return org, titles
    parent_entry = scope.rules.lookup(parent_name)
    names = [org.surface] + ([entry.label] if entry else [])
    for name in names:
        for prefix in (parent_name, *(parent_entry.all_names if parent_entry else ())):
            if name.startswith(prefix) and name != prefix:
                tail = name[len(prefix) :]
                if tail + titles[0] in roles and not any(titles[0].endswith(r) for r in roles if len(r) > 2):
                    parent = Mention(
                        org.sentence,
                        org.start,
                        org.start + len(prefix),
                        prefix,
                        "Organization",
                        org.rule,
                        key=parent_entry.id if parent_entry else None,
                        label=parent_entry.label if parent_entry else None,
                        nested=True,
                    )
                    return parent, [tail + titles[0], *titles[1:]]
    return org, titles
