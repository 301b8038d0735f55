"""What a thing is part of and what it involves: ranked-list items (partOf the list, rank), events
named after a larger one (…北京主场活动), events held during another (年会期间…, 分论坛), and the
entities an event involves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from castkg.extract.mentions import gazetteer_mentions
from castkg.extract.relations.common import (
    OfPredicate,
    after_lead_in,
    anaphora_opening,
    apposed_part,
    called_back_kind,
    ceremonies_of,
    cited,
    finder,
    framed,
    kind_opening,
    label_of,
    main_event,
    meeting_for,
    news_event,
    opens_with_kind,
    signed,
    title_event,
    told_events,
    without_demonstrative,
)
from castkg.extract.scope import ArticleScope
from castkg.extract.sessions import is_bare_session, named_by_kind
from castkg.extract.text import (
    CLAUSE_MARKS,
    CLOSE_QUOTES,
    LEADING_NUMBERING,
    OPEN_QUOTES,
    clause_bounds,
    year_in,
)
from castkg.model import Mention, Relation
from castkg.registry import PATTERNS, RULE_PREDICATE, WORDS
from castkg.rules import Predicate, Rule, WordList

EVENT_ANAPHORA = WORDS.need("event_anaphora")
EDITION_OPENING = PATTERNS.need("edition_opening")
ATTEND_VERBS = WORDS.need("attend_verbs")
LIST_JOINERS = WORDS.need("list_joiners")
SUB_FORUM_HEADS = WORDS.need("sub_forum_heads")
HELD_VERBS = WORDS.need("held_verbs")
ORGANIZE_VERBS = WORDS.need("organize_verbs")
LOCATION_VERBS = WORDS.need("location_verbs")
SESSION_KINDS = WORDS.need("session_kinds")
NAMED_ROUNDS = WORDS.need("named_rounds")
VENUE_PARTS = WORDS.need("venue_parts")
OPENING_SESSIONS = WORDS.need("opening_sessions")
ONE_OF_ACTIVITIES = PATTERNS.need("one_of_activities")
CLOSING_SESSIONS = WORDS.need("closing_sessions")
OPENING_VERBS = WORDS.need("opening_verbs")
EVENT_JOINERS = WORDS.need("event_joiners")
PART_LIST_VERBS = WORDS.need("part_list_verbs")
BEFORE_OBJECT = WORDS.need("before_object")
OPENING_SPEECH = PATTERNS.need("opening_speech")
COMPOSED_OF = PATTERNS.need("composed_of", groups=("parts",))
VENUE_PREPOSITIONS = WORDS.need("venue_prepositions")
POSSESSIVE = WORDS.need("possessive_particles")
SESSION_SETTING_ENDS = WORDS.need("session_setting_ends")
CLOSING_SPEECH = PATTERNS.need("closing_speech")


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


@finder("apposed_part", settings=OfPredicate, emits=(RULE_PREDICATE,))
def apposed_part_of(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """某年会重点活动——某论坛: the event a dash names after another is part of it."""
    found = []
    for sentence in scope.sentences:
        for event in scope.in_sentence(sentence.index, "Event", nested=False):
            part = apposed_part(scope, event)
            if part is not None:
                found.append(Relation(part, rule.settings.predicate, rule.id, sentence.index, object=event))
    return found


@finder("held_within", settings=OfPredicate, emits=(RULE_PREDICATE,))
def held_within(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """本次论坛将…举办甲主论坛与乙分论坛: the events an event called back by a demonstrative and its
    kind holds are part of it."""
    found: list[Relation] = []
    verbs = scope.rules.words(ORGANIZE_VERBS).pattern
    for sentence in scope.sentences:
        text = sentence.text
        for start in (0, *(i + 1 for i, c in enumerate(text) if c in CLAUSE_MARKS)):
            kind = called_back_kind(scope, text[start:])
            whole = _told_of_kind(scope, kind) if kind else None
            verb = verbs.search(text, start) if whole is not None else None
            if whole is None or verb is None:
                continue
            found.extend(
                Relation(m, rule.settings.predicate, rule.id, sentence.index, object=whole)
                for m in scope.in_sentence(sentence.index, "Event", nested=False)
                if m.start >= verb.end()
                and label_of(m) != label_of(whole)
                and not is_bare_session(m, scope.rules)
            )
            break
    return found


def _told_of_kind(scope: ArticleScope, kind: str) -> Mention | None:
    """The article's main event when its name ends with ``kind``, else the first event of that kind
    it tells of."""
    main = main_event(scope)
    if main is not None and label_of(main).endswith(kind):
        return main
    return next((m for m in told_events(scope) if label_of(m).endswith(kind)), None)


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
    before_object = scope.rules.words(BEFORE_OBJECT).words
    happening = (
        scope.rules.words(ORGANIZE_VERBS).words
        + scope.rules.words(LOCATION_VERBS).words
        + scope.rules.words(ATTEND_VERBS).words
    )
    found: list[Relation] = []
    topic, topic_block, main = None, None, None
    topics: list[Mention] = []  # every topic so far, to call one back by its kind (本次研习营…)
    setting: Mention | None = None  # the session a paragraph of the topic's news opened at (开幕式上，…)
    setting_block: int | None = None
    # only a page of news of one event (told in its lead, or the title's after a paragraph of
    # background; no ranked list) goes on with it over later paragraphs: a bulletin of several
    # items tells each in its own paragraph
    lead = min((s.block for s in scope.sentences if s.block >= 0), default=None)
    news = not scope.items
    titled = title_event(scope) if news else None
    for sentence in scope.sentences:
        if sentence.block < 0:
            continue
        mentions = scope.in_sentence(sentence.index)
        # a session named by its kind (出席开幕式) or a ceremony named again goes on with the topic
        events = [
            m
            for m in mentions
            if m.cls == "Event"
            and not m.nested
            and not cited(scope, m)  # 宣讲全国两会精神: a spirit passed on, not an event told of
            and not (topic is not None and is_bare_session(m, scope.rules))
            and not (topic is not None and named_by_kind(m, scope.rules) and label_of(m) == label_of(topic))
        ]
        dated = bool(scope.days[sentence.index])
        told = [
            e
            for e in events
            if (
                dated
                or _told(sentence.text, e, happening, before_object)
                or signed(scope, e)
                or _set_at(scope, sentence.text, e)
            )
            and not framed(scope, e)  # 5月30日是第六个全国科技工作者日: a date's name, not news
        ]
        # the larger event the topic is named after (…论坛 for …论坛报告会) told of: still the topic's news
        wholes = topic is not None and bool(told) and all(_whole_of(e, topic) for e in told)
        held = bool(told) and not wholes
        for event in told:  # a sentence that tells of a meeting held, not one that names it in passing
            found.extend(
                Relation(event, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not event and other not in events
            )
        if (
            topic is not None
            and called_back_kind(scope, sentence.text)
            and not _calls_back(scope, topic, sentence.text)
        ):
            # 本次研习营由…: an earlier topic called back by its kind after another's news
            topic = next((t for t in reversed(topics) if _calls_back(scope, t, sentence.text)), topic)
        # the news of one event held (the first the article tells of) goes on until another is told
        continues = (
            sentence.block == topic_block
            or sentence.text.startswith(anaphora)
            or (topic is not None and topic is main and not held)
            or (topic is not None and _calls_back(scope, topic, sentence.text))
        )
        # the topic named again (its name, not the same mention) goes on with it
        again = wholes or (topic is not None and any(_named_again(e, topic) for e in events))
        # an event named in passing at the topic's session (启动仪式上，…为某某系列活动等项目颁发证书)
        # does not end the topic's news
        passing = continues and not held and _setting_at_start(scope, sentence.text, mentions) is not None
        if events and not (continues and again) and not passing:
            if held and (not continues or topic is None):
                # a meeting held, not an epidemic named; the topic held again by its short name stays
                shortened = topic is not None and again and label_of(events[0]) != label_of(topic)
                topic, topic_block = topic if shortened else news_event(scope, events), sentence.block
                if topic is not None:
                    topics.append(topic)
                if main is None and news and (sentence.block == lead or _is_title_event(topic, titled)):
                    main = topic
            elif not continues:
                topic, topic_block = None, None
            setting = None
            continue
        if topic is None and not events and titled is not None:
            # a page whose body does not name its event (the title does: 某书记一行到某县调研) tells
            # of it in the sentences that name no other
            found.extend(
                Relation(titled, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
            )
        if topic is not None and continues:
            topic_block = sentence.block
            found.extend(
                Relation(topic, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not topic
                and not (other.cls == "Event" and label_of(topic).startswith(label_of(other)))
            )
            found.extend(_session_attended(scope, rule, sentence.index, mentions, happening, before_object))
            opened = _opening_setting(scope, sentence.text, mentions)
            if opened is not None or (setting is not None and setting_block != sentence.block):
                setting, setting_block = opened, sentence.block
            elif setting is not None and _of_another_year(scope, sentence.text):
                setting = None  # 其前身为…，1999年由某某…设立: the paragraph's background, not the session
            # 开幕式上，甲致辞。乙、丙…出席: the session goes on over its sentence and paragraph
            if setting is not None:
                found.extend(
                    Relation(setting, rule.settings.predicate, rule.id, sentence.index, object=other)
                    for other in mentions
                    if other.cls != "Event"
                )
            found.extend(_ceremony_speakers(scope, rule, topic, sentence.index, mentions))
    return found


def _ceremony_speakers(
    scope: ArticleScope, rule: Rule[OfPredicate], topic: Mention, index: int, mentions: Sequence[Mention]
) -> list[Relation]:
    """A sentence of the topic's news that tells of its opening (closing) speech (某某致开幕辞,
    某某宣布大会开幕): the people it names take part in the topic's opening (closing) ceremony."""
    text = scope.sentences[index].text
    found: list[Relation] = []
    for speech, kinds in ((OPENING_SPEECH, OPENING_SESSIONS), (CLOSING_SPEECH, CLOSING_SESSIONS)):
        if scope.rules.pattern(speech).search(text) is None:
            continue
        for ceremony in ceremonies_of(scope, topic, kinds):
            found.extend(
                Relation(ceremony, rule.settings.predicate, rule.id, index, object=person)
                for person in mentions
                if person.cls == "Person"
            )
    return found


def _session_attended(
    scope: ArticleScope,
    rule: Rule[OfPredicate],
    index: int,
    mentions: Sequence[Mention],
    verbs: tuple[str, ...],
    particles: tuple[str, ...],
) -> list[Relation]:
    """A session named by its kind that a sentence of the topic's news opens with, tells of or
    is set at (开幕式由某某主持; 某某出席开幕式并致辞; 在年会开幕式上，某某…) involves what the
    sentence names, as the topic does."""
    text = scope.sentences[index].text
    sessions = [
        m
        for m in mentions
        if m.cls == "Event"
        and not m.nested
        and (
            (
                is_bare_session(m, scope.rules)
                and (m.start == 0 or _told(text, m, verbs, particles) or _listed_after_verb(scope, text, m))
            )
            or (named_by_kind(m, scope.rules) and _set_at(scope, text, m))
        )
    ]
    return [
        Relation(session, rule.settings.predicate, rule.id, index, object=other)
        for session in sessions
        for other in mentions
        if other.cls != "Event"
    ]


def _opening_setting(scope: ArticleScope, text: str, mentions: Sequence[Mention]) -> Mention | None:
    """The session named by its kind that the sentence opens with as its setting (开幕式上，…)."""
    setting = _setting_at_start(scope, text, mentions)
    return setting if setting is not None and is_bare_session(setting, scope.rules) else None


def _setting_at_start(scope: ArticleScope, text: str, mentions: Sequence[Mention]) -> Mention | None:
    """The event the sentence opens with as its setting (启动仪式上，…, 论坛上，…), if any."""
    return next(
        (
            m
            for m in mentions
            if m.cls == "Event"
            and _opens_at(scope, m)
            and text.startswith(scope.rules.words(SESSION_SETTING_ENDS).words, m.end)
        ),
        None,
    )


def _is_title_event(event: Mention | None, titled: Mention | None) -> bool:
    return event is not None and titled is not None and (event is titled or _named_again(event, titled))


def _calls_back(scope: ArticleScope, topic: Mention, text: str) -> bool:
    """Does the sentence open with the topic's kind, bare or after a demonstrative (宣贯会上，…
    after …团体标准宣贯会)?"""
    kind = kind_opening(scope, text)
    return kind is not None and label_of(topic).endswith(kind)


def _of_another_year(scope: ArticleScope, text: str) -> bool:
    """Does the sentence name a year other than the one the news speaks from (any year, where the
    article has no date)?"""
    today = scope.article.reference_date
    year = year_in(text, scope.rules)
    return year is not None and (today is None or year != today.year)


def _opens_at(scope: ArticleScope, mention: Mention) -> bool:
    """Does ``mention`` open its sentence, with at most a venue preposition, a day and 的 before
    it (在9月24日的论坛开幕式上)?"""
    opening = scope.sentences[mention.sentence].text[: mention.start]
    preposition = next((w for w in scope.rules.words(VENUE_PREPOSITIONS).words if opening.startswith(w)), "")
    day = next((d for d in scope.days[mention.sentence] if d.start == len(preposition)), None)
    rest = opening[day.end if day is not None else len(preposition) :]
    return not rest or (day is not None and rest in scope.rules.words(POSSESSIVE).words)


def _set_at(scope: ArticleScope, text: str, session: Mention) -> bool:
    """Is the sentence set at ``session`` (在开幕式上, 在年会开幕式上)?"""
    return text.endswith(scope.rules.words(VENUE_PREPOSITIONS).words, 0, session.start) and text.startswith(
        scope.rules.words(SESSION_SETTING_ENDS).words, session.end
    )


def _named_again(event: Mention, topic: Mention) -> bool:
    """Is ``event`` the topic named again: by its name, or by the end of it (京台青年科学家论坛 for
    2019年京台青年科学家论坛), as the resolve stage makes them one entity?"""
    name, topic_name = label_of(event), label_of(topic)
    return name == topic_name or (len(name) >= SHORT_FORM_LEAST and topic_name.endswith(name))


SHORT_FORM_LEAST = 4
"""The fewest characters of the end of an event's name that names it again."""


def _whole_of(event: Mention, part: Mention) -> bool:
    """Is ``part`` named after ``event`` (中外论坛报告会 after 中外论坛)?"""
    return label_of(part) != label_of(event) and label_of(part).startswith(label_of(event))


def _listed_after_verb(scope: ArticleScope, text: str, session: Mention) -> bool:
    """Is ``session`` the last of things a verb of attending takes (某某出席巡展活动和|闭幕式)?"""
    joiner = text[session.start - 1 : session.start]
    clause_start = clause_bounds(text, session.start)[0]
    return joiner in scope.rules.words(LIST_JOINERS) and any(
        verb in text[clause_start : session.start] for verb in scope.rules.words(ATTEND_VERBS).words
    )


TOLD_VERB_REACH = 24
"""How far after an event's name, in its clause, the verb that reports it may stand (某营4日在厦门某某
科技探索中心|闭营: a day and a venue between)."""


def _told(text: str, event: Mention, verbs: tuple[str, ...], particles: tuple[str, ...]) -> bool:
    """Is ``event`` the thing the sentence reports on: 召开/举办 right before it (开展的, 举办了 too),
    or 在…举办/开幕 after it?"""
    before = text[max(0, event.start - 5) : event.start]
    before = next((before[: -len(p)] for p in particles if before.endswith(p)), before)
    after = text[event.end : event.end + TOLD_VERB_REACH]
    clause_end = min((after.find(m) for m in CLAUSE_MARKS if m in after), default=len(after))
    return any(before.endswith(v) for v in verbs) or any(v in after[:clause_end] for v in verbs)


@finder("name_part", settings=OfPredicate, emits=(RULE_PREDICATE,))
def name_part(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event named after a larger one it belongs to: 2021年全国科普日北京主场活动 → 2021年全国科普日
    (a session named after such an event: that event, 2021年全国科普日北京主场活动|启动仪式);
    the larger one an edition of a known series the article names only there (第二十二届中国科协年会
    某某论坛 → 第二十二届中国科协年会)."""
    events = [m for m in scope.all_mentions() if m.cls == "Event" and not m.nested]
    names = {(m.label or m.surface): m for m in events}
    found = []
    for event in events:
        label = event.label or event.surface
        parents = [
            p for whole, p in names.items() if len(whole) >= 6 and label != whole and label.startswith(whole)
        ]
        edition = None if parents else _edition_opening(scope, event) or _series_inside(scope, event)
        whole = event_opening_name(scope, event) if parents or edition else None
        for parent in parents or ([edition] if edition else []):
            part = event
            if whole is not None and whole.nested and _whole_of(parent, whole):
                part = whole  # …科普日浙江省主场活动|启动仪式: the 主场活动 is the 科普日's part
            found.append(Relation(part, rule.settings.predicate, rule.id, event.sentence, object=parent))
    return found


def _edition_opening(scope: ArticleScope, event: Mention) -> Mention | None:
    """The edition of a known series an event's name opens with, when more follows it (第二十二届
    中国科协年会|工业互联网论坛): a mention of it inside the event's, the series its alternative label."""
    return _edition_at(scope, event, 0, event.label or event.surface)


def _edition_at(scope: ArticleScope, event: Mention, offset: int, label: str) -> Mention | None:
    """The edition of a known series that ``label``, the part of ``event``'s name from ``offset``
    on, opens with (A暨|第五个全国科技工作者日|启动仪式: the edition after the joiner)."""
    opening = scope.rules.pattern(EDITION_OPENING).match(label)
    if opening is None or not opening.group():
        return None
    rest = label[opening.end() :]
    for length in range(len(rest) - (0 if offset else 2), 1, -1):
        entry = scope.rules.lookup(rest[:length])
        if entry is not None and entry.cls == "Event" and entry.series:
            name = label[: opening.end() + length]
            return Mention(
                event.sentence,
                event.start + offset,
                event.start + offset + len(name),
                name,
                "Event",
                event.rule,
                alt_labels=(rest[:length],),
                nested=True,
            )
    return None


@finder("quoted_parts", settings=OfPredicate, emits=(RULE_PREDICATE,))
def quoted_parts(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Events named in quotes right after an event are its parts: 2025某年会“甲主论坛”“乙座谈会”."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        events = {e.start: e for e in scope.in_sentence(sentence.index, "Event", nested=False)}
        for whole in list(events.values()):
            end = whole.end
            while end < len(text) and text[end] in OPEN_QUOTES and (part := events.get(end + 1)):
                if part.end >= len(text) or text[part.end] not in CLOSE_QUOTES:
                    break
                found.append(Relation(part, rule.settings.predicate, rule.id, sentence.index, object=whole))
                end = part.end + 1
    return found


@finder("one_of", settings=OfPredicate, emits=(RULE_PREDICATE,))
def one_of(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event said to be one of another's activities is part of it: 作为某某论坛的重要活动之一，甲会议…;
    某某论坛主要活动之一，…甲论坛在…开幕; 甲会议是某某论坛的重要活动之一."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        events = scope.in_sentence(sentence.index, "Event", nested=False)
        for index, whole in enumerate(events):
            if not scope.rules.pattern(ONE_OF_ACTIVITIES).match(text, whole.end):
                continue
            after = [e for e in events[index + 1 :] if label_of(e) != label_of(whole)]
            before = [e for e in events[:index] if label_of(e) != label_of(whole)]
            part = after[0] if after else before[-1] if before else None
            if part is not None:
                found.append(Relation(part, rule.settings.predicate, rule.id, sentence.index, object=whole))
    return found


@dataclass(frozen=True)
class During:
    """Settings of ``during``: the words that say one event is held during another, and whether
    a 分论坛 is part of the meeting its paragraph tells of without them."""

    predicate: Predicate
    cues: WordList
    sub_forums: bool = False


@finder("during", settings=During, emits=(RULE_PREDICATE,))
def during(scope: ArticleScope, rule: Rule[During]) -> list[Relation]:
    """An event held during another is part of it: 大会期间举办的…博览会, 年会期间还举办了…对接会,
    and (``sub_forums``) a 分论坛 of the meeting its paragraph tells of."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        events = scope.in_sentence(sentence.index, "Event", nested=False)
        cue = rule.settings.cues.pattern.search(text)
        for event in events:
            sub_forum = rule.settings.sub_forums and _is_sub_forum(scope, event)
            if not (sub_forum or (cue and event.start >= cue.end())):
                continue
            label = event.label or event.surface
            explicit = [e for e in events if cue and e.end <= cue.start() and e is not event]
            anchor = cue.start() if cue and event.start >= cue.end() else event.start
            host = explicit[-1] if explicit else meeting_for(scope, sentence, before=anchor)
            if host is event or (host is not None and sub_forum and _is_sub_forum(scope, host)):
                host = None  # one listed beside it (期间还将举办A、B、C), a sibling 分论坛 told before
            if host is None:
                host = _meeting_of_article(
                    scope, [e for e in events if cue and e.start >= cue.end()] or [event]
                )
            # never part of its own part (a …论坛 held during a 年会 the text does not name as an
            # event is no part of the …论坛报告会 the page is about)
            if host is not None and host is not event and not label_of(host).startswith(label):
                found.append(Relation(event, rule.settings.predicate, rule.id, sentence.index, object=host))
    return found


def _is_sub_forum(scope: ArticleScope, event: Mention) -> bool:
    return (event.label or event.surface).endswith(scope.rules.words(SUB_FORUM_HEADS).words)


def _meeting_of_article(scope: ArticleScope, parts: Sequence[Mention]) -> Mention | None:
    """The article's first event that is held (dated or located), other than the ``parts`` and
    any 分论坛."""
    held = scope.rules.words(HELD_VERBS)
    for sentence in scope.sentences:
        for other in scope.in_sentence(sentence.index, "Event", nested=False):
            if other in parts or _is_sub_forum(scope, other):
                continue
            if scope.days[sentence.index] or any(v in sentence.text for v in held):
                return other
    return None


# --- issue 8c: sessions and ceremonies ------------------------------------------------------------


@finder("listed_parts", settings=OfPredicate, emits=(RULE_PREDICATE,))
def listed_parts(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Events listed together in a sentence that opens with another event are parts of it
    (2025年全国科普月，A、B等系列活动相继举办; 年会…举办A论坛、B论坛等多项活动), or with a word
    for the article's event (本次大赛…包括A竞赛、B竞赛等)."""
    found = []
    for sentence in scope.sentences:
        named = scope.in_sentence(sentence.index, "Event", nested=False)
        events = [m for m in named if _whole_event(scope, m)]
        if len(events) < 2 or sentence.item is not None:
            continue
        if scope.rules.pattern(COMPOSED_OF).search(sentence.text):
            continue  # 论坛由A、B和C组成: what it is made of (composed_of), A no lead of B and C
        lead: Mention | None = events[0]
        listed = events[1:]
        text, first = sentence.text, events[0].start
        held = scope.rules.words(ORGANIZE_VERBS).pattern.search(text, 0, first) is not None
        opening = after_lead_in(scope, text)
        told = opens_with_kind(scope, opening) or anaphora_opening(scope, opening) is not None
        if told and (_lists_parts(scope, text, first) or held):
            lead, listed = main_event(scope), events  # 本次大赛…包括A竞赛、B竞赛等; 年会将举办A、B等
        elif len(events) < 3 or clause_bounds(text, first)[0] != 0 or held:
            continue  # …举办A论坛、B论坛等: A is held, not what the others are part of
        if lead is None or cited(scope, lead):
            continue
        taken: set[Mention] = set()
        for event in listed:
            group = [m for m in scope.coordinated(event) if m is not lead and _whole_event(scope, m)]
            if len(group) < 2 or event in taken:
                continue
            taken.update(group)
            for part in group:
                if label_of(lead) not in label_of(part):
                    found.append(Relation(part, rule.settings.predicate, rule.id, part.sentence, object=lead))
    return found


@finder("composed_of", settings=OfPredicate, emits=(RULE_PREDICATE,))
def composed_of(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Events an event is said to be made of are its parts: A由B和C组成; 年会由开幕式、…和座谈会等
    组成, 活动由“甲”“乙”和“丙”三部分组成 (the event called by its kind is the article's)."""
    found: list[Relation] = []
    for sentence in scope.sentences:
        text = sentence.text
        if scope.rules.pattern(COMPOSED_OF).search(text) is None:
            continue  # most sentences: no 由…组成, and no reading of the article's events
        events = scope.in_sentence(sentence.index, "Event", nested=False)
        wholes = [(e, e.end) for e in events]
        opening = without_demonstrative(scope, text)
        kind = kind_opening(scope, opening) or anaphora_opening(scope, opening)
        if kind is not None and (article_event := main_event(scope)) is not None:
            wholes.append((article_event, len(text) - len(opening) + len(kind)))
        for whole, end in wholes:
            listed = scope.rules.pattern(COMPOSED_OF).match(text, end)
            if listed is None:
                continue
            found.extend(
                Relation(part, rule.settings.predicate, rule.id, sentence.index, object=whole)
                for part in events
                if listed.start("parts") <= part.start
                and part.end <= listed.end("parts")
                and label_of(part) != label_of(whole)
            )
    return found


def _lists_parts(scope: ArticleScope, text: str, first: int) -> bool:
    """Does a verb that lists what a thing holds (包括, 分为, 设有) come before ``first``, in the clause
    that names it (大赛…，包括A竞赛、…; not 会议强调，要办好A、B等活动)?"""
    clause_start, _ = clause_bounds(text, first)
    return scope.rules.words(PART_LIST_VERBS).pattern.search(text, clause_start, first) is not None


@finder("session", settings=OfPredicate, emits=(RULE_PREDICATE,))
def session(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A session or ceremony is part of the event it belongs to: one named by its kind alone
    (出席开幕式) of the event its sentence or paragraph tells of, else of the article's main event;
    one named after its event (2023世界机器人大会开幕式, …科技活动周启动暨…授牌仪式) of that event."""
    found = []
    for mention in scope.all_mentions():
        if mention.cls != "Event" or mention.nested:
            continue
        if is_bare_session(mention, scope.rules):
            whole = _event_told(scope, mention) or main_event(scope)
            if whole is not None:  # a session told of in a sentence on another (…论坛主会场): its event
                whole = event_opening_name(scope, whole) or whole
        else:
            whole = event_opening_name(scope, mention)
        if whole is not None:
            found.append(Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=whole))
            first = _event_before_joiner(scope, mention, whole)
            if first is not None:
                found.append(
                    Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=first)
                )
    return found


def _event_before_joiner(scope: ArticleScope, session: Mention, second: Mention) -> Mention | None:
    """The first of two events a session's name joins (第33届科普宣传周|暨|第五个全国科技工作者日|
    启动仪式: the launch of both), when it ends like an event's name; else None."""
    name = session.label or session.surface
    words = scope.rules.words
    joiner = min((name.find(j) for j in words(EVENT_JOINERS) if j in name), default=-1)
    if (
        joiner < MIN_EVENT_NAME
        or second.start <= session.start + joiner
        or not name.endswith(words(SESSION_KINDS).words)
    ):
        return None
    first = name[:joiner]
    if not first.endswith(_event_suffixes(scope)) or any(j in first for j in words(EVENT_JOINERS)):
        return None
    named = _whole_event_named(scope, first)
    if named is not None:
        return named
    edition = _edition_opening(scope, replace(session, label=first, surface=first))
    if edition is not None and edition.surface == first:
        return edition
    return Mention(
        session.sentence, session.start, session.start + joiner, first, "Event", session.rule, nested=True
    )


MIN_EVENT_NAME = 4
"""The fewest characters of an event's name before a joiner (某某论坛|暨…)."""


@dataclass(frozen=True)
class VisitMeeting:
    """Settings of ``visit_meeting``: the words that make the title's event a visit, and the
    meetings named by their kind alone that a visit holds."""

    predicate: Predicate
    visits: WordList
    meetings: WordList


@finder("visit_meeting", settings=VisitMeeting, emits=(RULE_PREDICATE,))
def visit_meeting(scope: ArticleScope, rule: Rule[VisitMeeting]) -> list[Relation]:
    """A meeting named by its kind alone (调研组召开座谈会) on a page whose title tells of a visit
    (某书记一行到某县调研) is a session of the visit."""
    visit = title_event(scope)
    if visit is None or not any(word in label_of(visit) for word in rule.settings.visits.words):
        return []
    return [
        Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=visit)
        for mention in scope.all_mentions()
        if mention.cls == "Event" and not mention.nested and label_of(mention) in rule.settings.meetings
    ]


def _whole_event(scope: ArticleScope, mention: Mention) -> bool:
    return mention.cls == "Event" and not mention.nested and not is_bare_session(mention, scope.rules)


def _event_told(scope: ArticleScope, session: Mention) -> Mention | None:
    """The event before the session in its sentence, else the first its paragraph names."""
    sentence = scope.sentences[session.sentence]
    before = [m for m in scope.in_sentence(sentence.index, "Event") if _whole_event(scope, m)]
    before = [m for m in before if not cited(scope, m)]
    before = [m for m in before if m.end <= session.start]
    if before:
        return before[-1]
    for other in scope.earlier_in_block(sentence):
        events = [m for m in scope.in_sentence(other.index, "Event") if _whole_event(scope, m)]
        events = [m for m in events if not cited(scope, m)]
        if events:
            return news_event(scope, events)
    return None


def event_opening_name(scope: ArticleScope, mention: Mention) -> Mention | None:
    """The event whose name opens ``mention``'s, right before a session's kind, a round, a venue of
    its own or an opening verb (第十二届中国科协年会|开幕式暨大会报告会, 2014年陕西省科技活动周|启动暨…
    授牌仪式, “某某行”|启动仪式, 某大赛某选拔赛|决赛, 某市科普节|主场(某区)活动)."""
    name = mention.label or mention.surface
    lead = scope.rules.pattern(LEADING_NUMBERING).match(name)
    words = scope.rules.words
    cues = (*words(SESSION_KINDS), *words(NAMED_ROUNDS), *words(VENUE_PARTS), *words(OPENING_VERBS))
    suffixes = _event_suffixes(scope)
    anaphora = words(EVENT_ANAPHORA)
    for end in range(len(name) - 2, (lead.end() if lead else 0) + 1, -1):
        whole = name[:end]
        if whole in anaphora or whole in suffixes:
            continue  # 年会分会场: the 年会 told of, not a name
        joiner = max((whole.rfind(j) + len(j) for j in words(EVENT_JOINERS) if j in whole), default=0)
        whole = whole[joiner:]  # A暨B开幕式: the opening of B
        if len(whole) < 4:
            continue
        if (whole.endswith(suffixes) and name.startswith(cues, end)) or _quoted_opening(scope, name, end):
            named = _whole_event_named(scope, whole)
            if named is not None:
                return named
            start = mention.start + joiner
            edition = (  # 第九届全国科普讲解大赛|决赛, A暨|第五个全国科技工作者日|启动仪式: a known series'
                _edition_at(scope, mention, joiner, whole) if joiner else _edition_opening(scope, mention)
            )
            if edition is not None and edition.surface == whole:
                return edition
            kept = _edition_kept_at(scope, mention, whole)
            if kept is not None:
                return kept
            wrapped = whole[0] in OPEN_QUOTES and whole[-1] in CLOSE_QUOTES
            surface = whole[1:-1] if wrapped else whole  # a surface holds no wrapping quotes
            return Mention(
                mention.sentence, start, start + len(whole), surface, "Event", mention.rule, nested=True
            )
    return None


def _whole_event_named(scope: ArticleScope, name: str) -> Mention | None:
    """The first whole event (no session named by its kind alone) the article names ``name``."""
    return next((m for m in scope.all_mentions() if _whole_event(scope, m) and label_of(m) == name), None)


def _series_inside(scope: ArticleScope, event: Mention) -> Mention | None:
    """The known series an event's name holds before more of it (中国康复医学会|全国科技工作者日|系列
    活动, 首个|全国科技工作者日|深圳系列活动): the event is part of the series, whose edition the resolve
    stage finds as it does for the series named alone (its year before it, else the page's)."""
    if event.key is not None:
        return None
    name = event.surface
    hits = [
        c.mention
        for c in gazetteer_mentions(name, event.sentence, scope.rules)
        if c.mention.key is not None
        and c.mention.cls == "Event"
        and scope.rules.gazetteer[c.mention.key].series
        and c.mention.end < len(name)  # more of the name follows the series
    ]
    if not hits:
        return None
    series = min(hits, key=lambda m: (m.start, -m.end))
    return replace(series, start=event.start + series.start, end=event.start + series.end, nested=True)


def _edition_kept_at(scope: ArticleScope, mention: Mention, whole: str) -> Mention | None:
    """The edition of a known series a place's event is named after (天台县|2025年全国科技工作者日|
    主场活动): the place tells where the edition was kept, so the event is part of the edition itself,
    not of a county's own one."""
    for place in scope.in_sentence(mention.sentence, "Place"):
        if place.start != mention.start or not whole.startswith(place.surface):
            continue
        rest = replace(mention, start=place.end, surface=mention.surface[len(place.surface) :], label=None)
        edition = _edition_opening(scope, rest)
        if edition is not None and edition.surface == whole[len(place.surface) :]:
            return edition
    return None


def _quoted_opening(scope: ArticleScope, name: str, end: int) -> bool:
    """Does ``name`` open with one quoted name that ends at ``end``, right before the kind of an
    opening or closing session (“某某行”启动仪式: the event that opens; not “某某”授牌仪式, a title)?
    Quotes of another kind may stand inside it (“与科学同行——‘中国航天日’专题活动”开幕仪式)."""
    whole = name[:end]
    sessions = (*scope.rules.words(OPENING_SESSIONS), *scope.rules.words(CLOSING_SESSIONS))
    return (
        whole[0] in OPEN_QUOTES
        and whole[-1] in CLOSE_QUOTES
        and whole[0] not in whole[1:-1]
        and whole[-1] not in whole[1:-1]
        and name.startswith(sessions, end)
    )


def _event_suffixes(scope: ArticleScope) -> tuple[str, ...]:
    """Every suffix an event's name may end with (the event rules' of entities.yaml)."""
    return tuple(
        suffix
        for rule in scope.rules.entity_rules
        if rule.kind == "suffix" and rule.settings.cls == "Event"
        for suffix in rule.settings.suffixes
    )
