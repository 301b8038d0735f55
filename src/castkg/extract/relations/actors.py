"""Who did it: organizer and launchedBy (a subject and its verb, a body opening the name, 由…主办,
the bulletin's body when the text names no actor, a ranked list's compiler) and chair (主持)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from castkg.extract.relations.common import (
    THEME_PHRASE,
    OfPredicate,
    WithVerbs,
    after_lead_in,
    anaphora_opening,
    called_back_kind,
    event_before,
    finder,
    kind_opening,
    label_of,
    main_event,
    meeting_for,
    object_after,
    without_demonstrative,
)
from castkg.extract.relations.parts import event_opening_name
from castkg.extract.scope import ArticleScope
from castkg.extract.text import CLAUSE_MARKS, LEADING_NUMBERING, clause_bounds, find_days
from castkg.model import Mention, Relation, Sentence
from castkg.registry import PATTERNS, RULE_PREDICATE, WORDS
from castkg.rules import ClassName, Predicate, Rule, WordList

CONTINUATIONS = WORDS.need("continuations")
COORDINATORS = WORDS.need("coordinators")
BEFORE_OBJECT = WORDS.need("before_object")
PASSIVE_MARKERS = WORDS.need("passive_markers")
POSSESSIVE = WORDS.need("possessive_particles")
VENUE_OPENINGS = WORDS.need("venue_openings")
FOUNDING_WORDS = WORDS.need("founding_words")
HOST_CLAUSE_OPENERS = WORDS.need("host_clause_openers")
VENUE_PREPOSITIONS = WORDS.need("venue_prepositions")
VENUE_LIST_ENDS = WORDS.need("venue_list_ends")
HONORIFICS = WORDS.need("honorifics")
COUNTED_SESSION = PATTERNS.need("counted_session")
ROLES = WORDS.need("roles")
CHAIR_LEAD_INS = WORDS.need("chair_lead_ins")
CHAIR_OBJECT_ENDS = WORDS.need("chair_object_ends")
EVENT_ANAPHORA = WORDS.need("event_anaphora")
EVENT_DEMONSTRATIVES = WORDS.need("event_demonstratives")
NAMED_ROUNDS = WORDS.need("named_rounds")
WRITING_VERBS = WORDS.need("writing_verbs")
SESSION_KINDS = WORDS.need("session_kinds")
CLAUSE_SUBJECT_LEAD = 2
"""At most this many characters (a time word: 当天) before the body that opens a clause as its subject."""
STUDIED_VERBS = WORDS.need("studied_verbs")
SAME_DAY_WORDS = WORDS.need("same_day_words")
LIST_ABOUT_HEADS = WORDS.need("list_about_heads")
ANNUAL_LIST_MARKS = WORDS.need("annual_list_marks")
PASSIVE_TAIL = PATTERNS.need("passive_tail", fills=("verbs",))
HOSTS_CLOSE_CLAUSE = PATTERNS.need("hosts_close_clause", fills=("verbs",))
UNNAMED_LAST_HOST = PATTERNS.need("unnamed_last_host", groups=("name",), fills=("verbs",))
TITLE_VERB = PATTERNS.need("title_verb")
RELATIVE_AGENT = PATTERNS.need("relative_agent")
COHOSTS_CLAUSE = PATTERNS.need("cohosts_clause")
COUNTED_HOSTS = PATTERNS.need("counted_hosts")
DEFINITION_HEAD = PATTERNS.need("definition_head", groups=("thing",))


@dataclass(frozen=True)
class SubjectVerb:
    """Settings of ``subject_verb``: SUBJECT + a verb + OBJECT states OBJECT ``predicate`` SUBJECT."""

    predicate: Predicate
    verbs: WordList
    subject: tuple[ClassName, ...]
    """Classes of the actor before the verb."""
    object: tuple[ClassName, ...]
    """Classes of the thing after the verb (the fact's subject)."""
    adjacent: bool = False
    """The actor stands right before the verb (方城县|举行), never further back in its clause."""


@dataclass(frozen=True)
class OfObject:
    """Settings of a kind that states ``predicate`` of things of the ``object`` classes."""

    predicate: Predicate
    object: tuple[ClassName, ...]


@dataclass(frozen=True)
class VerbsOfObject:
    """Settings of a kind that states ``predicate`` of ``object`` things, cued by one of ``verbs``."""

    predicate: Predicate
    verbs: WordList
    object: tuple[ClassName, ...]


@dataclass(frozen=True)
class PassiveActor:
    """Settings of ``passive_actor``: 由ACTOR + one of ``verbs`` (+ 的 + THING of the ``object`` classes)."""

    predicate: Predicate
    verbs: WordList
    object: tuple[ClassName, ...] = (ClassName("Event"),)


@finder("subject_verb", settings=SubjectVerb, emits=(RULE_PREDICATE,), patterns=(UNNAMED_LAST_HOST,))
def subject_verb(scope: ArticleScope, rule: Rule[SubjectVerb]) -> list[Relation]:
    """ORG + verb + THING: 中国科协召开…会议, 中国科协第一时间启动…机制; a list of bodies whose
    last one no rule knows (A、B及欧莱雅中国共同举办的…) holds it too."""
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, rule.settings.verbs):
            thing = object_after(scope, sentence, end, rule.settings.object)
            if thing is None:
                continue
            clause_start, _ = clause_bounds(sentence.text, start)
            venues = _listed_venues(scope, sentence.text, clause_start, start)
            in_clause = [
                m
                for m in scope.in_sentence(sentence.index, *rule.settings.subject, nested=False)
                if clause_start <= m.start
                and m.end <= start
                and not _venue(scope, sentence, m)
                and not venues[0] <= m.start < venues[1]
                and not _agent_of_another_clause(scope, sentence.text, m.end, start)
            ]
            subjects = [m for m in in_clause if start - m.end <= (0 if rule.settings.adjacent else 6)]
            if rule.settings.adjacent and not subjects:
                continue
            actors = (
                scope.coordinated(subjects[-1])
                if subjects
                else _listed_before_verb(scope, sentence, in_clause, start, rule)
                or _clause_subject(scope, in_clause, clause_start, start - (venues[1] - venues[0]))
                or _previous_clause_actor(scope, sentence, clause_start, in_clause, start)
            )
            for actor in actors:
                found.append(Relation(thing, rule.settings.predicate, rule.id, sentence.index, object=actor))
    return found


@finder(
    "passive_actor",
    settings=PassiveActor,
    emits=(RULE_PREDICATE,),
    patterns=(PASSIVE_TAIL, HOSTS_CLOSE_CLAUSE, UNNAMED_LAST_HOST),
)
def passive_actor(scope: ArticleScope, rule: Rule[PassiveActor]) -> list[Relation]:
    """由ORG、ORG等(共同)主办: the sentence's (or paragraph's) event; 由ORG实施的THING: that thing."""
    classes = rule.settings.object
    tail_pattern = rule.pattern(PASSIVE_TAIL)
    found = []
    if "Event" in classes:
        found += _hosts_at_clause_end(scope, rule)
    for sentence in scope.sentences:
        text = sentence.text
        for match in scope.rules.words(PASSIVE_MARKERS).pattern.finditer(text):
            counted = scope.rules.pattern(COUNTED_HOSTS).match(text, match.end())
            first = counted.end() if counted else match.end()  # 由8个部委与|某市人民政府…主办
            bodies = [
                m for m in scope.in_sentence(sentence.index, "Organization", nested=False) if m.start == first
            ]
            if not bodies:
                continue
            defined = _defined_by(scope, sentence, match.start(), first, rule)
            if defined is not None:
                programme, actors = defined
                found.extend(
                    Relation(programme, rule.settings.predicate, rule.id, sentence.index, object=body)
                    for body in actors
                )
                continue
            group = _with_unnamed_last(sentence, scope.coordinated(bodies[0]), rule)
            group = _with_counted_partners(scope, sentence, group)
            tail = tail_pattern.match(text[group[-1].end :])
            if not tail:
                continue
            after = group[-1].end + tail.end()
            if text.startswith(scope.rules.words(WRITING_VERBS).words, after):
                continue  # 报告由某学会组织编写: a text written, no event hosted
            thing = object_after(scope, sentence, after, classes) if tail.group(1) else None
            if thing is None and not tail.group(1):  # 由中国科协主办、浙江省科协承办的第二届…论坛
                _, clause_end = clause_bounds(text, after)
                cohosts = scope.rules.pattern(COHOSTS_CLAUSE).match(text, clause_end + 1)
                if cohosts:  # 由A主办，B承办的…: the thing follows the co-hosts' clause
                    clause_end = cohosts.end()
                of = scope.rules.words(POSSESSIVE).pattern.search(text, after, clause_end)
                thing = object_after(scope, sentence, of.end(), classes) if of else None
                if thing is None and scope.rules.pattern(THEME_PHRASE).match(text[clause_end + 1 :]):
                    thing = object_after(scope, sentence, clause_end + 1, classes)  # 由A主办，以“…”为主题的X
            if thing is None and not tail.group(1) and "Event" in classes:
                thing = _hosted_meeting(scope, sentence, before=match.start())
            if thing is None:
                continue
            listed = thing.cls == "Event" and not thing.nested
            things = scope.coordinated(thing) if listed else (thing,)  # 主办的A、B在…举行: both
            things = (*things, *_whole_of_session(scope, thing))  # 主办的某大赛总决赛: the 大赛's too
            for held in things[things.index(thing) :]:
                found.extend(
                    Relation(held, rule.settings.predicate, rule.id, sentence.index, object=body)
                    for body in group
                )
    return found


def _defined_by(
    scope: ArticleScope, sentence: Sentence, marker: int, first: int, rule: Rule[PassiveActor]
) -> tuple[Mention, list[Mention]] | None:
    """A definition of the thing the sentence opens with, by the bodies that did it (某工程（简称…）
    是|由A于某年启动、B牵头，联合C、D等共同实施的|一项…工程): that thing and every body named
    from 由 to the rule's verb its 的 follows; None where the sentence is no such definition."""
    text = sentence.text
    head = scope.rules.pattern(DEFINITION_HEAD).fullmatch(text, 0, marker)
    if head is None:
        return None
    things = [
        m
        for m in scope.in_sentence(sentence.index, *rule.settings.object, nested=False)
        if m.end == head.end("thing") and not any(mark in text[: m.start] for mark in CLAUSE_MARKS)
    ]
    of = scope.rules.words(POSSESSIVE).words
    verb = next(
        (v for v in rule.settings.verbs.pattern.finditer(text, first) if text.startswith(of, v.end())), None
    )
    if not things or verb is None:
        return None
    actors = [
        m
        for m in scope.in_sentence(sentence.index, "Organization", nested=False)
        if first <= m.start and m.end <= verb.start()
    ]
    return (things[-1], actors) if actors else None


def _whole_of_session(scope: ArticleScope, thing: Mention) -> list[Mention]:
    """The event a session or a round is named after (某大赛|总决赛, 某科学营某分营|开营仪式), whose
    hosts host it; none for anything else."""
    if thing.cls != "Event":
        return []
    whole = event_opening_name(scope, thing)
    if whole is None:
        return []
    rest = label_of(thing).removeprefix(label_of(whole))
    kinds = (*scope.rules.words(SESSION_KINDS).words, *scope.rules.words(NAMED_ROUNDS).words)
    return [whole] if rest in kinds else []


def _with_counted_partners(
    scope: ArticleScope, sentence: Sentence, group: Sequence[Mention]
) -> Sequence[Mention]:
    """A list of hosts closed by a count and joined to more (由A、B等21个部门与C联合主办): all of
    them; else ``group``."""
    counted = scope.rules.pattern(COUNTED_HOSTS).match(sentence.text, group[-1].end)
    if counted is None:
        return group
    partners = [
        m for m in scope.in_sentence(sentence.index, "Organization", nested=False) if m.start == counted.end()
    ]
    return [*group, *scope.coordinated(partners[0])] if partners else group


def _semicolon_run_start(scope: ArticleScope, sentence: Sentence) -> Sentence:
    """The sentence a run of clauses parted by semicolons opens with, where ``sentence`` goes on
    after one (本次巡展由A主办，B承办；|C、D协办); else ``sentence``."""
    earlier = list(scope.earlier_in_block(sentence))
    start = sentence
    while earlier and earlier[-1].index == start.index - 1 and earlier[-1].text.rstrip().endswith(SEMICOLONS):
        start = earlier.pop()
    return start


SEMICOLONS = (";", "；")


def _hosted_meeting(scope: ArticleScope, sentence: Sentence, before: int) -> Mention | None:
    """The event whose hosts a sentence names: its meeting, or the event that meeting's name opens
    with when the sentence calls it by that one's kind (…主场活动启动仪式。本次活动由A、B主办: the
    主场活动)."""
    named = _named_in_clause_before(scope, sentence, before)
    if named is not None:
        return named
    event = meeting_for(scope, sentence, before=before)
    if event is None:
        return None
    text = without_demonstrative(scope, after_lead_in(scope, sentence.text))  # 据了解，|本次巡展由…
    kind = anaphora_opening(scope, text)
    if kind is None or label_of(event).endswith(kind):
        return event
    whole = event_opening_name(scope, event)
    if whole is None or not label_of(whole).endswith(kind):
        return event
    rest = label_of(event).removeprefix(label_of(whole))
    return (
        event if rest in scope.rules.words(NAMED_ROUNDS) else whole
    )  # 大赛由…主办 on a 大赛总决赛: the round


def _named_in_clause_before(scope: ArticleScope, sentence: Sentence, before: int) -> Mention | None:
    """The event a clause calls back by a demonstrative and its kind (参观了某某主题展，该主题展由…
    主办: the 主题展), named earlier in the same sentence; else None."""
    clause_start = clause_bounds(sentence.text, before)[0]
    kind = called_back_kind(scope, sentence.text[clause_start:]) if clause_start > 0 else None
    if kind is None:
        return None
    named = [
        m
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
        if m.end <= clause_start and label_of(m).endswith(kind)
    ]
    return named[-1] if named else None


def _listed_before_verb(
    scope: ArticleScope, sentence: Sentence, bodies: Sequence[Mention], verb: int, rule: Rule[SubjectVerb]
) -> Sequence[Mention]:
    """The bodies listed right before the verb at ``verb`` when the last of them is one no rule
    knows (A、B及欧莱雅中国共同举办), else none."""
    if not bodies:
        return ()
    group = _with_unnamed_last(sentence, scope.coordinated(bodies[-1]), rule)
    unnamed = group[-1]
    if unnamed in bodies or not 0 <= verb - unnamed.end <= UNNAMED_LAST_GAP:
        return ()
    return group


UNNAMED_LAST_GAP = 6
"""The most characters (等, 单位, 共同 …) between a list's last, unnamed body and its verb."""


def _with_unnamed_last(
    sentence: Sentence, group: Sequence[Mention], rule: Rule[PassiveActor] | Rule[SubjectVerb]
) -> Sequence[Mention]:
    """A list of hosts whose last one no rule knows (…中国科学院和欧莱雅中国共同主办): that one is a
    body too, named by its place in the list."""
    match = rule.pattern(UNNAMED_LAST_HOST).match(sentence.text[group[-1].end :])
    if not match:
        return group
    start = group[-1].end + match.start("name")
    name = match["name"]
    return [*group, Mention(sentence.index, start, start + len(name), name, "Organization", rule.id)]


def _hosts_at_clause_end(scope: ArticleScope, rule: Rule[PassiveActor]) -> list[Relation]:
    """…，中国茶叶学会、贵州省科协和遵义市人民政府共同主办。: bodies that close a clause with 主办 hold
    the sentence's (or paragraph's) event."""
    found = []
    tail_pattern = rule.pattern(HOSTS_CLOSE_CLAUSE)
    openers = scope.rules.words(HOST_CLAUSE_OPENERS)
    for sentence in scope.sentences:
        text = sentence.text
        for body in scope.in_sentence(sentence.index, "Organization", nested=False):
            joined = scope.coordinated(body)
            if body is not joined[0]:
                continue
            group = _with_unnamed_last(sentence, joined, rule)
            clause_start, _ = clause_bounds(text, body.start)
            tail = tail_pattern.match(text[group[-1].end :])
            opening = text[clause_start : body.start].strip()
            if not tail or not (opening == "" or opening in openers):
                continue
            opened = _semicolon_run_start(scope, sentence)  # …主办，B承办；|C、D协办
            before = body.start if opened is sentence else len(opened.text)
            event = _hosted_meeting(scope, opened, before=before)
            if event is None:
                continue
            for host in group:
                found.append(Relation(event, rule.settings.predicate, rule.id, sentence.index, object=host))
    return found


@finder("name_prefix", settings=OfObject, emits=(RULE_PREDICATE,))
def name_prefix(scope: ArticleScope, rule: Rule[OfObject]) -> list[Relation]:
    """A body whose name opens the thing's name: 世界卫生组织新冠论文数据库 → 世界卫生组织; and the
    event a session is named after, named nowhere else (中国天文学会2024年学术年会|开幕式)."""
    found = []
    for mention in scope.all_mentions():
        if mention.cls not in rule.settings.object:
            continue
        things = [mention]
        whole = event_opening_name(scope, mention) if mention.cls == "Event" else None
        if whole is not None and whole.nested:
            things.append(whole)
        for thing in things:
            body = _organised_by_name(scope, thing)
            if body is not None:
                found.append(Relation(thing, rule.settings.predicate, rule.id, thing.sentence, object=body))
    return found


@finder("founded_body", settings=OfObject, emits=(RULE_PREDICATE,))
def founded_body(scope: ArticleScope, rule: Rule[OfObject]) -> list[Relation]:
    """The body whose founding an event's name tells (某协会|成立大会, 某联盟|成立仪式暨恳谈会): it
    takes part in the event; who holds it is told elsewhere (by a parent body, most often)."""
    found = []
    for event in scope.all_mentions():
        if event.cls in rule.settings.object:
            body = _founded_in_name(scope, event)
            if body is not None:
                found.append(Relation(event, rule.settings.predicate, rule.id, event.sentence, object=body))
    return found


def _founded_in_name(scope: ArticleScope, event: Mention) -> Mention | None:
    """The body named in ``event``'s name right before a word of founding (某协会|成立大会), if any."""
    text = scope.sentences[event.sentence].text
    for inner in scope.in_sentence(event.sentence, "Organization", nested=True):
        if (
            event.start <= inner.start
            and inner.end < event.end
            and text.startswith(scope.rules.words(FOUNDING_WORDS).words, inner.end)
        ):
            return inner
    return None


@finder("unstated_actor", settings=VerbsOfObject, emits=(RULE_PREDICATE,))
def unstated_actor(scope: ArticleScope, rule: Rule[VerbsOfObject]) -> list[Relation]:
    """Verb + THING, or THING(在PLACE)举办, with no actor in its clause: the bulletin's body did it
    (contract, "Who did it"). Not where the clause says the body only took the event in
    (传达学习…召开的…会议, 出席…) or opens with another event (…会议决定…大会于…召开): the body
    acted where its bulletin says it did, not wherever an event is named. Dropped later where the
    article names the actor elsewhere."""
    if scope.owner is None:
        return []
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, rule.settings.verbs):
            clause_start, _ = clause_bounds(sentence.text, start)
            thing = object_after(scope, sentence, end, rule.settings.object)
            if thing is None:  # THING(在PLACE)举办: the thing must open its clause, or it is the
                thing = event_before(scope, sentence, clause_start, start, allow_place=True)
                if thing is not None and not _opens_clause(scope, sentence, clause_start, thing):
                    continue  # object of another verb (迎接党的二十大胜利召开), no act of the body
            if (
                thing is None
                or thing.cls not in rule.settings.object
                or _organised_by_name(scope, thing) is not None
            ):
                continue
            actors = [
                m
                for m in scope.in_sentence(sentence.index, "Organization", "Person", nested=False)
                if clause_start <= m.start and m.end <= start
            ]
            if (
                not actors
                and not _previous_clause_actor(scope, sentence, clause_start, verb=start)
                and not _taken_in(scope, sentence, clause_start, min(start, thing.start), thing)
            ):
                found.append(
                    Relation(thing, rule.settings.predicate, rule.id, sentence.index, object=scope.owner)
                )
    return found


def _opens_clause(scope: ArticleScope, sentence: Sentence, clause_start: int, thing: Mention) -> bool:
    """Does ``thing`` open its clause, with at most a day or a word for the article's day before it
    (8月18日，2022世界机器人大会…; 当天，…)?"""
    gap = sentence.text[clause_start : thing.start]
    for day in reversed(find_days(gap, scope.rules)):
        gap = gap[: day.start] + gap[day.end :]
    for word in scope.rules.words(SAME_DAY_WORDS):
        gap = gap.replace(word, "")
    return gap.strip(" ，,、") == ""


def _taken_in(scope: ArticleScope, sentence: Sentence, clause_start: int, end: int, thing: Mention) -> bool:
    """Does the clause before ``end`` say the body took an event in rather than held it (传达学习,
    出席, 收看 …), or open with another event as its subject (中共中央政治局会议决定…)?"""
    before = sentence.text[clause_start:end]
    if scope.rules.words(STUDIED_VERBS).pattern.search(before):
        return True
    return any(
        m is not thing and clause_start <= m.start and m.end <= end
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
    )


@finder("list_owner", settings=OfPredicate, emits=(RULE_PREDICATE,))
def list_owner(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A ranked list in a body's bulletin is that body's, when it is a list the body compiles (its
    year's 十大事件, “科普中国”2023年度五大亮点), not a list about an event or of its highlights
    (2021年全国科普日五大亮点, 2022世界机器人大会四大看点)."""
    if scope.owner is None or scope.list_event is None or _list_about(scope, scope.list_event):
        return []
    return [
        Relation(
            scope.list_event, rule.settings.predicate, rule.id, scope.list_event.sentence, object=scope.owner
        )
    ]


def _list_about(scope: ArticleScope, list_event: Mention) -> bool:
    """Is the list about something rather than the body's own compilation: its heading names an
    event of the article, or ends in 亮点/看点/成果, and it is not a year's list (年度)?"""
    name = label_of(list_event)
    if any(mark in name for mark in scope.rules.words(ANNUAL_LIST_MARKS)):
        return False
    if scope.rules.pattern(TITLE_VERB).sub("", name).endswith(scope.rules.words(LIST_ABOUT_HEADS).words):
        return True
    events = (m for m in scope.all_mentions() if m.cls == "Event" and m.rank is None)
    return any(len(label_of(m)) >= 4 and label_of(m) != name and label_of(m) in name for m in events)


@finder("chair", settings=WithVerbs, emits=(RULE_PREDICATE,))
def chair(scope: ArticleScope, rule: Rule[WithVerbs]) -> list[Relation]:
    """PERSON主持: the person presides over the event named right after the verb (主持年会开幕式),
    else over the sentence's meeting, else the paragraph's or, for 主持会议, the article's."""
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, rule.settings.verbs):
            people = [
                m
                for m in scope.in_sentence(sentence.index, "Person")
                if m.end <= start and _presider_gap(scope, sentence.text[m.end : start])
            ]
            event = _presided(scope, sentence, end)
            if event is None and people and _meeting_subject(scope, sentence.text, people[-1].start):
                event = main_event(scope)  # 会议由某某主持: the article's meeting, named before
            if people and event is not None:
                found.append(
                    Relation(event, rule.settings.predicate, rule.id, sentence.index, object=people[-1])
                )
    return found


def _presider_gap(scope: ArticleScope, gap: str) -> bool:
    """May ``gap`` stand between a person and 主持: a character or two (在主持), an honorific or a
    post (黄大卫研究员主持), after which an attendance verb may come (出席并主持)?"""
    for lead_in in scope.rules.words(CHAIR_LEAD_INS):
        if gap.endswith(lead_in):
            gap = gap[: -len(lead_in)]
            break
    return len(gap) <= 2 or _honorific_between(scope, gap)


def _meeting_subject(scope: ArticleScope, text: str, person_start: int) -> bool:
    """Does the person's clause open with a word for the meeting and 由 (会议由|我院院长助理|某某主持,
    本次活动由某某主持)?"""
    clause = text[clause_bounds(text, person_start)[0] : person_start]
    for word in scope.rules.words(EVENT_DEMONSTRATIVES):
        if clause.startswith(word):
            clause = clause[len(word) :]
            break
    return any(
        clause.startswith(word) and clause.startswith(tuple(scope.rules.words(PASSIVE_MARKERS)), len(word))
        for word in scope.rules.words(EVENT_ANAPHORA)
    )


def _object_ends(scope: ArticleScope, text: str, position: int) -> bool:
    """Does the verb's object end at ``position``: the text's end, a clause mark, or a word that
    goes on after the object (主持会议|时, 主持|并讲话)?"""
    return (
        position >= len(text)
        or text[position] in CLAUSE_MARKS + "、)）"
        or text.startswith(scope.rules.words(CHAIR_OBJECT_ENDS).words, position)
    )


def _presided(scope: ArticleScope, sentence: Sentence, verb_end: int) -> Mention | None:
    """The event 主持 acts on: the one named right after it; none when it acts on something else
    no rule names (主持主旨报告环节); else the sentence's or paragraph's meeting, or the article's
    when the object is a word for it (在主持会议时指出) or the kind of an event named (主持报告会)."""
    text = sentence.text
    after = verb_end
    for word in scope.rules.words(BEFORE_OBJECT):
        if text.startswith(word, after):
            after += len(word)
            break
    for word in scope.rules.words(EVENT_DEMONSTRATIVES):
        if text.startswith(word, after) and not _object_ends(scope, text, after + len(word)):
            after += len(word)  # 主持本次|会议: the word for the meeting follows
            break
    named = [m for m in scope.in_sentence(sentence.index, "Event", nested=False) if m.start == after]
    if named:
        return named[0]
    kind = kind_opening(scope, text[after:] + "。")  # 主持报告会, after …主题宣讲报告会
    words = [*scope.rules.words(EVENT_ANAPHORA), *([kind] if kind else [])]
    referring = any(
        text.startswith(word, after) and _object_ends(scope, text, after + len(word)) for word in words
    )  # 主持会议, 主持报告会; not 主持年会主旨报告环节
    if not referring and not _object_ends(scope, text, after):
        return None
    event = meeting_for(scope, sentence)
    if event is None and referring:
        return main_event(scope)
    return event


def _venue(scope: ArticleScope, sentence: Sentence, mention: Mention) -> bool:
    """Is the body where something happens, after 在/于 (市科协在大庆市科技馆举办…)?"""
    return sentence.text.endswith(scope.rules.words(VENUE_PREPOSITIONS).words, 0, mention.start)


def _listed_venues(scope: ArticleScope, text: str, clause_start: int, verb: int) -> tuple[int, int]:
    """Where a list of venues stands before the verb at ``verb`` in its clause (先后|在A社区、B小学、
    C中学等地|开展), from its preposition to its closing word; (0, 0) when there is none."""
    ends = scope.rules.words(VENUE_LIST_ENDS)
    close = next((verb - len(word) for word in ends if text.endswith(word, clause_start, verb)), None)
    if close is None:
        return 0, 0
    starts = [
        m.start() for m in scope.rules.words(VENUE_PREPOSITIONS).pattern.finditer(text, clause_start, close)
    ]
    return (starts[0], verb) if starts else (0, 0)


def _clause_subject(
    scope: ArticleScope, bodies: Sequence[Mention], clause_start: int, verb: int
) -> list[Mention]:
    """The body, or the one list of bodies, opening a clause as its only actors, further from the
    verb (区科协组织全区…代表召开座谈交流会; 县科协、教育局在…会议室举办…): the clause's subject."""
    if (
        bodies
        and bodies[0].start - clause_start <= CLAUSE_SUBJECT_LEAD
        and tuple(bodies) == scope.coordinated(bodies[0])
        and verb - bodies[-1].end <= 30
    ):
        return list(bodies)
    return []


def _honorific_between(scope: ArticleScope, gap: str) -> bool:
    """Is ``gap`` an honorific or a post (黄大卫研究员主持, 孙科副厅长主持)?"""
    return gap in scope.rules.words(HONORIFICS) or gap in scope.rules.words(ROLES)


def _previous_clause_actor(
    scope: ArticleScope,
    sentence: Sentence,
    clause_start: int,
    in_clause: Sequence[Mention] = (),
    verb: int | None = None,
) -> Sequence[Mention]:
    """In a clause that goes on from the one before (…，并启动…; …，深入某村开展…; …走入某县，开展…:
    one opened by its ``verb`` or by its venue before it), the actors of that one, with the
    partners this clause joins to them (…积极行动，先后联合A和B…开展…)."""
    rest = sentence.text[clause_start:]
    gap = sentence.text[clause_start:verb].strip() if verb is not None else None
    # …，开展…; …，在某村开展…: the clause opens with its verb, or with where the act took place
    opened_by_verb = gap is not None and (
        not gap or gap.startswith(scope.rules.words(VENUE_PREPOSITIONS).words)
    )
    if clause_start == 0 or not (opened_by_verb or rest.startswith(scope.rules.words(CONTINUATIONS).words)):
        return ()
    previous_start, _ = clause_bounds(sentence.text, clause_start - 1)
    actors = [
        m
        for m in scope.in_sentence(sentence.index, "Organization", nested=False)
        if previous_start <= m.start <= previous_start + 2
    ]
    if not actors:
        return ()
    first = in_clause[0] if in_clause else None
    joined = first is not None and sentence.text[clause_start : first.start].endswith(
        scope.rules.words(COORDINATORS).words
    )
    return (*scope.coordinated(actors[0]), *(scope.coordinated(first) if joined and first else ()))


def _verb_positions(text: str, verbs: WordList) -> Iterator[tuple[int, int]]:
    for match in verbs.pattern.finditer(text):
        yield match.start(), match.end()


def _agent_of_another_clause(scope: ArticleScope, text: str, end: int, verb: int) -> bool:
    """Is the body ending at ``end`` the agent of a relative clause (区政府承办的…) other than the
    verb at ``verb`` (…在…举行开幕式 is not the 区政府's act)?"""
    relative = scope.rules.pattern(RELATIVE_AGENT).match(text, end)
    return relative is not None and relative.end() <= verb


def _organised_by_name(scope: ArticleScope, mention: Mention) -> Mention | None:
    """The body whose name opens ``mention``'s name (中共中央政治局会议, 第22届中国科协年会), or stands
    right before a session named by its numbers (中国昆虫学会|九届五次常务理事会)."""
    text = scope.sentences[mention.sentence].text[mention.start : mention.end]
    if label_of(mention).endswith(scope.rules.words(VENUE_OPENINGS).words):
        return None  # 某县科技馆|正式开馆: the venue opened, its host is told elsewhere
    if mention.cls == "Event" and _founded_in_name(scope, mention) is not None:
        return None  # 某协会|成立大会: the body founded takes part; its founder holds it
    lead = scope.rules.pattern(LEADING_NUMBERING).match(text)
    offset = mention.start + (lead.end() if lead else 0)
    for inner in scope.in_sentence(mention.sentence, "Organization", nested=True):
        if inner.start in (offset, offset + 1) and inner.end < mention.end:
            return inner
    if mention.cls == "Event" and scope.rules.pattern(COUNTED_SESSION).match(text):
        before = [
            o
            for o in scope.in_sentence(mention.sentence, "Organization", nested=False)
            if o.end == mention.start
        ]
        if before:
            return before[0]
    return _body_inlabel_of(scope, mention)


def _body_inlabel_of(scope: ArticleScope, mention: Mention) -> Mention | None:
    """A curated body whose name opens a templated label (科协“十大” → 中国科协第十次全国代表大会)."""
    if not mention.label or mention.label == mention.surface:
        return None
    label = scope.rules.pattern(LEADING_NUMBERING).sub("", mention.label)
    named = scope.named_keys
    for end in range(len(label) - 1, 1, -1):
        entry = scope.rules.lookup(label[:end])
        if entry is not None and entry.cls == "Organization" and entry.id in named:
            return Mention(
                mention.sentence,
                mention.start,
                mention.start,
                entry.label,
                "Organization",
                "label",
                key=entry.id,
                label=entry.label,
                nested=True,
            )
    return None
