"""What a thing is part of and what it involves: ranked-list items (partOf the list, rank), events
named after a larger one (…北京主场活动), events held during another (年会期间…, 分论坛), and the
entities an event involves."""

from __future__ import annotations

from castkg.extract.relations.common import OfPredicate, finder, meeting_for
from castkg.extract.scope import ArticleScope
from castkg.extract.text import CLAUSE_MARKS
from castkg.model import Mention, Relation
from castkg.registry import RULE_PREDICATE, WORDS
from castkg.rules import Rule

EVENT_ANAPHORA = WORDS.need("event_anaphora")
DURING_CUES = WORDS.need("during_cues")
SUB_FORUM_HEADS = WORDS.need("sub_forum_heads")
HELD_VERBS = WORDS.need("held_verbs")
ORGANIZE_VERBS = WORDS.need("organize_verbs")
LOCATION_VERBS = WORDS.need("location_verbs")


@finder("list_item", settings=OfPredicate, emits=(RULE_PREDICATE, "rank"))
def list_item(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Each item of a ranked list is part of the list's event and has its rank."""
    found = []
    for item in scope.items.values():
        if scope.list_event is not None:
            found.append(
                Relation(item, rule.settings.predicate, rule.id, item.sentence, object=scope.list_event)
            )
        found.append(Relation(item, "rank", rule.id, item.sentence, value=str(item.rank), datatype="integer"))
    return found


@finder("involves_item", settings=OfPredicate, emits=(RULE_PREDICATE,))
def involves_item(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An item of a ranked list involves every entity its heading and body name."""
    found = []
    for index, item in scope.items.items():
        for sentence in scope.sentences:
            if sentence.item != index:
                continue
            for mention in scope.in_sentence(sentence.index):
                found.append(Relation(item, rule.settings.predicate, rule.id, sentence.index, object=mention))
    return found


@finder("involves_sentence", settings=OfPredicate, emits=(RULE_PREDICATE,))
def involves_sentence(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Any other event involves the entities named in the sentences that describe it: its own
    sentence, the rest of its paragraph, and later paragraphs that speak of it (会议指出…)."""
    anaphora = scope.rules.words(EVENT_ANAPHORA).words
    happening = scope.rules.words(ORGANIZE_VERBS).words + scope.rules.words(LOCATION_VERBS).words
    found: list[Relation] = []
    topic, topic_block = None, None
    for sentence in scope.sentences:
        if sentence.block < 0:
            continue
        mentions = scope.in_sentence(sentence.index)
        events = [m for m in mentions if m.cls == "Event" and not m.nested]
        dated = bool(scope.days[sentence.index])
        told = [e for e in events if dated or _told(sentence.text, e, happening)]
        held = bool(told)
        for event in told:  # a sentence that tells of a meeting held, not one that names it in passing
            found.extend(
                Relation(event, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not event and other not in events
            )
        continues = sentence.block == topic_block or sentence.text.startswith(anaphora)
        if events and not (topic is not None and continues and topic in events):
            if held and (not continues or topic is None):
                topic, topic_block = events[0], sentence.block  # a meeting held, not an epidemic named
            elif not continues:
                topic, topic_block = None, None
            continue
        if topic is not None and continues:
            topic_block = sentence.block
            found.extend(
                Relation(topic, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not topic
            )
    return found


def _told(text: str, event: Mention, verbs: tuple[str, ...]) -> bool:
    """Is ``event`` the thing the sentence reports on: 召开/举办 right before it, or 在…举办/开幕 after it?"""
    before = text[max(0, event.start - 4) : event.start]
    after = text[event.end : event.end + 14]
    clause_end = min((after.find(m) for m in CLAUSE_MARKS if m in after), default=len(after))
    return any(before.endswith(v) for v in verbs) or any(v in after[:clause_end] for v in verbs)


@finder("name_part", settings=OfPredicate, emits=(RULE_PREDICATE,))
def name_part(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event named after a larger one it belongs to: 2021年全国科普日北京主场活动 → 2021年全国科普日."""
    events = [m for m in scope.all_mentions() if m.cls == "Event" and not m.nested]
    names = {(m.label or m.surface): m for m in events}
    found = []
    for event in events:
        label = event.label or event.surface
        for whole, parent in names.items():
            if len(whole) >= 6 and label != whole and label.startswith(whole):
                found.append(Relation(event, rule.settings.predicate, rule.id, event.sentence, object=parent))
    return found


@finder("during", settings=OfPredicate, emits=(RULE_PREDICATE,))
def during(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event held during another is part of it: 大会期间举办的…博览会, 年会期间还举办了…对接会,
    and a 分论坛 of the meeting its paragraph tells of."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        events = scope.in_sentence(sentence.index, "Event", nested=False)
        cue = scope.rules.words(DURING_CUES).pattern.search(text)
        for event in events:
            label = event.label or event.surface
            sub_forum = label.endswith(scope.rules.words(SUB_FORUM_HEADS).words)
            if not (sub_forum or (cue and event.start >= cue.end())):
                continue
            explicit = [e for e in events if cue and e.end <= cue.start() and e is not event]
            anchor = cue.start() if cue and event.start >= cue.end() else event.start
            host = explicit[-1] if explicit else meeting_for(scope, sentence, before=anchor)
            if host is None or host is event:
                host = _meeting_of_article(scope, event)
            if host is not None and host is not event and (host.label or host.surface) != label:
                found.append(Relation(event, rule.settings.predicate, rule.id, sentence.index, object=host))
    return found


def _meeting_of_article(scope: ArticleScope, event: Mention) -> Mention | None:
    """The article's first event that is held (dated or located), other than ``event``."""
    held = scope.rules.words(HELD_VERBS)
    for sentence in scope.sentences:
        for other in scope.in_sentence(sentence.index, "Event", nested=False):
            if other is not event and (scope.days[sentence.index] or any(v in sentence.text for v in held)):
                return other
    return None
