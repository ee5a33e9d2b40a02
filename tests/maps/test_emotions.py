"""The emotion lane (scores, notes, the curve) and the canvas's evidence row."""

import re
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from maps.canvas.emotions import emotion_set
from maps.models import (
    Activity,
    Card,
    Emotion,
    Lane,
    LaneKind,
    map_create_from_template,
)
from research.models import Finding, Persona, Study
from tests.helpers import NOTIFY

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    """Five phases, no personas: one line, "the customer"."""
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def frank(org):
    return Persona.objects.create(organisation=org, name="Frank")


@pytest.fixture
def anna(org):
    return Persona.objects.create(organisation=org, name="Anna")


@pytest.fixture
def b2b(org, alice, frank, anna):
    return map_create_from_template(
        org, alice, "Office chairs", "five_phases", personas=[frank, anna]
    )


def _set_url(journey_map, stage):
    org = journey_map.organisation
    return reverse("map_emotion_set", args=[org.slug, journey_map.pk, stage.pk])


def _note_url(emotion):
    journey_map = emotion.map
    args = [journey_map.organisation.slug, journey_map.pk, emotion.pk]
    return reverse("map_emotion_note", args=args)


def _lane(journey_map):
    return journey_map.lanes.get(kind=LaneKind.EMOTION)


def _set(client, journey_map, stage, score, persona=None, **extra):
    data = {"score": score, "lane": _lane(journey_map).pk}
    if persona is not None:
        data["persona"] = persona.pk
    return client.post(_set_url(journey_map, stage), data, **HTMX, **extra)


# ---- Scores ----------------------------------------------------------------


def test_one_post_sets_the_customers_score(alice_client, trip):
    stage = trip.stages.first()
    response = _set(alice_client, trip, stage, "-1")
    assert response.status_code == 200
    assert Emotion.objects.get(stage=stage, persona=None).score == -1
    lane = _lane(trip)
    assert response["HX-Retarget"] == f"#lane-{lane.pk}"
    assert f'id="lane-{lane.pk}"' in response.content.decode()


def test_changing_and_clearing_a_score(alice_client, trip):
    stage = trip.stages.first()
    _set(alice_client, trip, stage, "-1")
    _set(alice_client, trip, stage, "2")
    assert list(Emotion.objects.values_list("score", flat=True)) == [2]
    response = _set(alice_client, trip, stage, "")
    assert response.status_code == 200
    assert not Emotion.objects.exists()


def test_every_change_is_recorded_and_a_repeat_is_not(alice_client, trip, alice):
    stage = trip.stages.first()
    trip.refresh_from_db()
    _set(alice_client, trip, stage, "-1")
    _set(alice_client, trip, stage, "-1")  # the same click again: nothing changes
    _set(alice_client, trip, stage, "1")
    _set(alice_client, trip, stage, "")
    rows = list(
        Activity.objects.filter(object_kind="emotion")
        .order_by("revision")
        .values_list("verb", "object_label", "changes", "user")
    )
    assert rows == [
        (
            "set",
            stage.title,
            [{"field": "score", "before": None, "after": -1}],
            alice.pk,
        ),
        ("set", stage.title, [{"field": "score", "before": -1, "after": 1}], alice.pk),
        (
            "set",
            stage.title,
            [{"field": "score", "before": 1, "after": None}],
            alice.pk,
        ),
    ]
    revision = trip.revision
    trip.refresh_from_db()
    assert trip.revision == revision + 3


def test_scores_per_persona(alice_client, b2b, frank, anna):
    stage = b2b.stages.first()
    _set(alice_client, b2b, stage, "-2", persona=frank)
    _set(alice_client, b2b, stage, "1", persona=anna)
    scores = dict(Emotion.objects.values_list("persona__name", "score"))
    assert scores == {"Frank": -2, "Anna": 1}
    latest = Activity.objects.filter(object_kind="emotion").first()
    assert latest.object_label == f"{stage.title} · Anna"
    assert latest.changes == [{"field": "score", "before": None, "after": 1}]


def test_a_persona_not_on_the_map_is_404(alice_client, b2b, org):
    stranger = Persona.objects.create(organisation=org, name="Stranger")
    response = _set(alice_client, b2b, b2b.stages.first(), "1", persona=stranger)
    assert response.status_code == 404
    assert not Emotion.objects.exists()


def test_a_map_with_personas_needs_one(alice_client, b2b):
    assert _set(alice_client, b2b, b2b.stages.first(), "1").status_code == 404


def test_a_map_without_personas_takes_none(alice_client, trip, frank):
    response = _set(alice_client, trip, trip.stages.first(), "1", persona=frank)
    assert response.status_code == 404
    assert not Emotion.objects.exists()


def test_a_stage_of_another_map_is_404(alice_client, trip, org, alice):
    other = map_create_from_template(org, alice, "Other", "aida")
    url = _set_url(trip, other.stages.first())
    response = alice_client.post(url, {"score": "1"}, **HTMX)
    assert response.status_code == 404
    assert not Emotion.objects.exists()


def test_an_invalid_score_is_422_and_saves_nothing(alice_client, trip):
    stage = trip.stages.first()
    response = _set(alice_client, trip, stage, "7")
    assert response.status_code == 422
    assert "Choose a feeling from very negative to very positive." in (
        response.content.decode()
    )
    assert not Emotion.objects.exists()
    assert not Activity.objects.filter(object_kind="emotion").exists()


def test_outsiders_viewers_and_gets_are_refused(
    carol_client, bob_client, alice_client, trip
):
    stage = trip.stages.first()
    assert _set(carol_client, trip, stage, "1").status_code == 404
    assert _set(bob_client, trip, stage, "1").status_code == 403
    assert alice_client.get(_set_url(trip, stage)).status_code == 405
    assert not Emotion.objects.exists()


def test_without_htmx_a_score_redirects_to_the_map(alice_client, trip):
    stage = trip.stages.first()
    response = alice_client.post(_set_url(trip, stage), {"score": "0"})
    assert response.status_code == 302
    assert response["Location"] == trip.get_absolute_url()
    assert Emotion.objects.get().score == 0


def test_a_first_score_racing_another_ends_in_one_row(trip, alice):
    stage = trip.stages.first()
    Emotion.objects.create(map=trip, stage=stage, persona=None, score=-2)
    # As if the other click landed between our read and our insert.
    real_first = QuerySet.first
    calls = []

    def first_misses_once(self):
        if self.model is Emotion and not calls:
            calls.append(1)
            return None
        return real_first(self)

    with mock.patch.object(QuerySet, "first", first_misses_once):
        emotion_set(stage, None, 1, alice)
    assert list(Emotion.objects.values_list("score", flat=True)) == [1]


def test_set_score_query_count(alice_client, b2b, frank, django_assert_num_queries):
    stage = b2b.stages.first()
    url = _set_url(b2b, stage)
    data = {"score": "1", "persona": frank.pk, "lane": _lane(b2b).pk}
    alice_client.post(url, data, **HTMX)
    # session, user, membership, map, stage, personas, savepoint, lock emotion,
    # update, revision bump, map refresh, activity, release; then the lane:
    # stages, lanes, emotions
    with django_assert_num_queries(16 + NOTIFY):
        alice_client.post(url, {**data, "score": "-1"}, **HTMX)


# ---- Notes ---------------------------------------------------------------------


@pytest.fixture
def feeling(trip):
    return Emotion.objects.create(
        map=trip, stage=trip.stages.first(), persona=None, score=-1, note="Long wait"
    )


def test_note_editor_and_save(alice_client, trip, feeling, alice):
    lane = _lane(trip)
    response = alice_client.get(_note_url(feeling), {"lane": lane.pk}, **HTMX)
    assert response.status_code == 200
    assert 'value="Long wait"' in response.content.decode()
    data = {"note": "Waited 40 minutes", "version": feeling.version, "lane": lane.pk}
    response = alice_client.post(_note_url(feeling), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#lane-{lane.pk}"
    assert "Waited 40 minutes" in response.content.decode()
    feeling.refresh_from_db()
    assert (feeling.note, feeling.version) == ("Waited 40 minutes", 2)
    activity = Activity.objects.get(object_kind="emotion")
    assert (activity.verb, activity.object_label) == ("update", feeling.stage.title)
    assert activity.changes == [
        {"field": "note", "before": "Long wait", "after": "Waited 40 minutes"}
    ]


def test_a_stale_note_is_a_conflict_with_both_texts(alice_client, trip, feeling):
    Emotion.objects.filter(pk=feeling.pk).update(note="Theirs", version=2)
    data = {"note": "Mine", "version": 1, "lane": _lane(trip).pk}
    response = alice_client.post(_note_url(feeling), data, **HTMX)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Theirs" in content and "Mine" in content
    assert f'id="emotion-note-{feeling.pk}"' in content
    feeling.refresh_from_db()
    assert feeling.note == "Theirs"


def test_a_score_change_does_not_make_a_note_conflict(alice_client, trip, feeling):
    _set(alice_client, trip, feeling.stage, "2")
    data = {"note": "Better", "version": feeling.version, "lane": _lane(trip).pk}
    response = alice_client.post(_note_url(feeling), data, **HTMX)
    assert response.status_code == 200
    feeling.refresh_from_db()
    assert (feeling.score, feeling.note) == (2, "Better")


def test_a_note_too_long_is_422(alice_client, trip, feeling):
    data = {"note": "x" * 201, "version": feeling.version}
    response = alice_client.post(_note_url(feeling), data, **HTMX)
    assert response.status_code == 422
    feeling.refresh_from_db()
    assert feeling.note == "Long wait"


def test_note_access(carol_client, bob_client, alice_client, trip, feeling, org, alice):
    data = {"note": "Hacked", "version": feeling.version}
    assert carol_client.post(_note_url(feeling), data).status_code == 404
    assert bob_client.post(_note_url(feeling), data).status_code == 403
    other = map_create_from_template(org, alice, "Other", "aida")
    wrong_map = reverse("map_emotion_note", args=[org.slug, other.pk, feeling.pk])
    assert alice_client.get(wrong_map).status_code == 404
    feeling.refresh_from_db()
    assert feeling.note == "Long wait"


def test_the_lane_fragment(alice_client, trip, feeling, django_assert_num_queries):
    org = trip.organisation
    lane = _lane(trip)
    url = reverse("map_emotion_row", args=[org.slug, trip.pk, lane.pk])
    alice_client.get(url, **HTMX)
    # session, user, membership, map, lane check, stages, lanes, personas, emotions
    with django_assert_num_queries(9):
        response = alice_client.get(url, **HTMX)
    assert response.status_code == 200
    assert "Long wait" in response.content.decode()
    text_lane = trip.lanes.exclude(kind=LaneKind.EMOTION).first()
    url = reverse("map_emotion_row", args=[org.slug, trip.pk, text_lane.pk])
    assert alice_client.get(url, **HTMX).status_code == 404


# ---- The curve ------------------------------------------------------------------

POINT = re.compile(
    r'<circle class="curve-point" data-series="(?P<series>[^"]*)" '
    r'data-score="(?P<score>-?\d)" cx="(?P<cx>[\d.]+)%" cy="(?P<cy>[\d.]+)%"'
)


def _columns(html):
    """Per stage column of the curve: its points and its line pieces, by series."""
    slices = re.findall(r"<svg class=\"curve\".*?</svg>", html, re.S)
    columns = []
    for svg in slices:
        points = {
            m["series"]: (int(m["score"]), float(m["cy"])) for m in POINT.finditer(svg)
        }
        lines = {}
        for series, body in re.findall(
            r'<g class="curve-series" data-series="([^"]*)"(.*?)</g>', svg, re.S
        ):
            lines[series] = sorted(re.findall(r'class="curve-(in|out)"', body))
        columns.append((points, lines))
    return columns


def test_the_curve_has_a_line_per_persona_with_gaps(alice_client, b2b, frank, anna):
    s = list(b2b.stages.all())
    for stage, score in [(s[0], 2), (s[1], -1), (s[3], 0)]:
        Emotion.objects.create(map=b2b, stage=stage, persona=frank, score=score)
    Emotion.objects.create(map=b2b, stage=s[2], persona=anna, score=1)
    html = alice_client.get(b2b.get_absolute_url()).content.decode()
    columns = _columns(html)
    assert len(columns) == 5
    f, a = str(frank.pk), str(anna.pk)
    # Frank: very positive at the top (10%), negative lower, neutral in the middle.
    assert [c[0].get(f) for c in columns] == [
        (2, 10.0),
        (-1, 70.0),
        None,
        (0, 50.0),
        None,
    ]
    assert [c[0].get(a) for c in columns] == [None, None, (1, 30.0), None, None]
    # A line joins stages 1 and 2 only; stage 3 is a gap, so stage 4 stands alone.
    assert [c[1].get(f) for c in columns] == [["out"], ["in"], None, [], None]
    assert [c[1].get(a) for c in columns] == [None, None, [], None, None]
    # The halves meet at the column border halfway between the two heights.
    assert (
        'x2="100%" y2="40%"'
        in re.findall(r"<svg class=\"curve\".*?</svg>", html, re.S)[0]
    )
    # Legend-like labels and the text alternative name both personas.
    assert "Anna: not set; Frank: very positive" in html


def test_the_curve_says_the_customer_without_personas(alice_client, trip):
    Emotion.objects.create(map=trip, stage=trip.stages.first(), score=-2)
    html = alice_client.get(trip.get_absolute_url()).content.decode()
    assert "The customer: very negative" in html
    assert [c[0].get("") for c in _columns(html)][0] == (-2, 90.0)


def test_the_curve_uses_dots_in_dutch_too(alice_client, b2b, frank):
    Emotion.objects.create(map=b2b, stage=b2b.stages.first(), persona=frank, score=1)
    alice_client.cookies["django_language"] = "nl"
    html = alice_client.get(b2b.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content
    assert b'cx="53%"' in html  # Anna comes first, Frank beside her
    assert b"53,0" not in html


# ---- Evidence row -----------------------------------------------------------


def test_the_evidence_row_counts_validated_cards(
    alice_client, trip, org, django_assert_num_queries
):
    stages = list(trip.stages.all())
    lane = (
        trip.lanes.filter(kind=LaneKind.TOUCHPOINTS).first()
        or Lane.objects.filter(map=trip).first()
    )
    study = Study.objects.create(
        organisation=org, title="Interviews", method="interview"
    )
    finding = Finding.objects.create(study=study, statement="People wait long")
    cards = [
        Card.objects.create(map=trip, stage=stages[i % 2], lane=lane, text=f"c{i}")
        for i in range(4)
    ]
    cards[0].findings.add(finding)
    url = reverse("map_evidence", args=[org.slug, trip.pk])
    alice_client.get(url, **HTMX)
    # session, user, membership, map, stages, per-stage counts
    with django_assert_num_queries(6):
        response = alice_client.get(url, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>25%</strong> validated" in content
    assert "1 of 4 cards" in content
    assert "<strong>50%</strong> · 1 of 2 cards" in content  # the first stage
    assert "<strong>0%</strong> · 0 of 2 cards" in content  # the second: assumptions
    assert content.count("is-unvalidated") == 1
    assert content.count("No cards") == 3


def test_the_canvas_listens_for_evidence_changes(alice_client, trip):
    html = alice_client.get(trip.get_absolute_url()).content.decode()
    url = reverse("map_evidence", args=[trip.organisation.slug, trip.pk])
    assert f'hx-get="{url}" hx-trigger="evidence-changed from:body"' in html
    assert "No cards yet" in html


def test_the_evidence_row_access(carol_client, bob_client, trip):
    url = reverse("map_evidence", args=[trip.organisation.slug, trip.pk])
    assert carol_client.get(url, **HTMX).status_code == 404
    assert bob_client.get(url, **HTMX).status_code == 200
    assert bob_client.get(url).status_code == 302  # a page without htmx: the map


def test_a_second_emotion_lane_follows_out_of_band(alice_client, trip):
    first = _lane(trip)
    second = Lane.objects.create(
        map=trip, title="Feelings again", kind=LaneKind.EMOTION, position=99
    )
    stage = trip.stages.first()
    data = {"score": "1", "lane": second.pk}
    response = alice_client.post(_set_url(trip, stage), data, **HTMX)
    content = response.content.decode()
    assert response["HX-Retarget"] == f"#lane-{second.pk}"
    assert content.lstrip().startswith(
        f'<tr class="lane lane-emotion" id="lane-{second.pk}"'
    )
    assert (
        f'id="lane-{first.pk}" data-lane-id="{first.pk}" hx-swap-oob="true"' in content
    )


def test_without_htmx_the_note_is_a_page_and_saving_goes_back(alice_client, feeling):
    response = alice_client.get(_note_url(feeling))
    assert response.status_code == 200
    assert 'value="Long wait"' in response.content.decode()
    data = {"note": "Better now", "version": feeling.version}
    response = alice_client.post(_note_url(feeling), data)
    assert response["Location"] == feeling.map.get_absolute_url()
    feeling.refresh_from_db()
    assert feeling.note == "Better now"


# ---- Kept entries (maps.canvas.kept) ------------------------------------------------


def _face_form_token(content: str) -> str:
    form = content[content.index("data-emotion-scale") :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_kept_entries_carry_each_readers_own_csrf_token(org, alice, dave, b2b):
    from django.test import Client

    stage = b2b.stages.first()
    Emotion.objects.create(map=b2b, stage=stage, persona=b2b.personas.first(), score=1)
    url = b2b.get_absolute_url()
    alice_browser = Client(enforce_csrf_checks=True)
    alice_browser.force_login(alice)
    dave_browser = Client(enforce_csrf_checks=True)
    dave_browser.force_login(dave)
    # The second page comes from kept HTML; its token must still be dave's own.
    alice_token = _face_form_token(alice_browser.get(url).content.decode())
    dave_page = dave_browser.get(url).content.decode()
    dave_token = _face_form_token(dave_page)
    assert "csrf-token-goes-here" not in dave_page
    assert alice_token != dave_token
    # The form works without JavaScript: a plain POST with the page's token.
    response = dave_browser.post(
        _set_url(b2b, stage),
        {
            "csrfmiddlewaretoken": dave_token,
            "score": "-2",
            "persona": b2b.personas.first().pk,
            "lane": _lane(b2b).pk,
        },
    )
    assert response.status_code == 302
    assert Emotion.objects.get(stage=stage, persona=b2b.personas.first()).score == -2


def test_kept_entries_follow_a_changed_note_and_persona_name(alice_client, b2b, frank):
    stage = b2b.stages.first()
    emotion = Emotion.objects.create(
        map=b2b, stage=stage, persona=frank, score=1, note="Calm"
    )
    url = b2b.get_absolute_url()
    assert "Calm" in alice_client.get(url).content.decode()
    Emotion.objects.filter(pk=emotion.pk).update(note="Worried")
    Persona.objects.filter(pk=frank.pk).update(name="Frank de Vries")
    content = alice_client.get(url).content.decode()
    assert "Worried" in content and "Calm" not in content
    assert "Frank de Vries" in content
