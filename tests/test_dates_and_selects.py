"""
One way of showing dates, and no "---------" in any select.

The rule: a calendar day (a due date, a finding's date, a study's start, an
invitation's expiry) is the reader's locale's DATE_FORMAT ("Sept. 7, 2026",
"7 september 2026"); a moment something happened (a change, a map's last
change) is its DATETIME_FORMAT ("Sept. 7, 2026, 2:30 p.m."). The history
panel also says how long ago, beside the moment.
"""

import datetime
import re

import pytest
from django.utils import timezone

import tests.test_url_access as url_walk
from journeymap.models import Invitation, invitation_create
from maps.activity import Activity
from maps.models import Action, JourneyMap, map_create_from_template, record
from research.models import Finding, Study

DAY = datetime.date(2026, 9, 7)
MOMENT = timezone.make_aware(datetime.datetime(2026, 9, 7, 14, 30))
# Django's English formats: "N j, Y" and "N j, Y, P".
EN_DAY = "Sept. 7, 2026"
EN_MOMENT = "Sept. 7, 2026, 2:30 p.m."
NL_DAY = "7 september 2026"
# What the pages used to show besides: day-month abbreviations and numeric dates.
OTHER_FORMATS = re.compile(r"\b7 Sep(?:t)? 2026\b|\b0?9/0?7/2026\b|\b2026-09-07(?!T)")


@pytest.fixture
def dated(org, alice, dave):
    """A map changed at MOMENT with an action due on DAY; a study and a finding."""
    journey_map = map_create_from_template(org, alice, "Podiatrist visit", "aida")
    action = Action.objects.create(
        map=journey_map,
        stage=journey_map.stages.first(),
        title="Call back",
        owner=alice,
        due=DAY,
    )
    record(journey_map, dave, "create", action)
    Activity.objects.update(created=MOMENT)
    JourneyMap.objects.update(updated=MOMENT)
    study = Study.objects.create(
        organisation=org,
        title="Survey",
        method="questionnaire",
        kind="quant",
        started=DAY,
        ended=DAY + datetime.timedelta(days=3),
    )
    finding = Finding.objects.create(study=study, statement="They phone", date=DAY)
    invitation, _token = invitation_create(org, "erin@example.com", "editor", alice)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires=MOMENT.replace(year=2099)  # still pending when the test runs
    )
    return {"map": journey_map, "study": study, "finding": finding}


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # Attributes (datetime="2026-09-07") are for machines; check what people read.
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def _pages(dated) -> dict[str, list[str]]:
    journey_map, study = dated["map"], dated["study"]
    return {
        "/o/demo/": [EN_DAY, EN_MOMENT],
        "/o/demo/members/": ["Sept. 7, 2099"],
        "/o/demo/maps/": [EN_MOMENT],
        f"/o/demo/maps/{journey_map.pk}/": [EN_DAY],
        "/o/demo/actions/": [EN_DAY],
        f"/o/demo/maps/{journey_map.pk}/history/": [EN_MOMENT],
        "/o/demo/research/": [EN_DAY],
        f"/o/demo/research/studies/{study.pk}/": [EN_DAY, "Sept. 10, 2026"],
    }


def test_every_page_with_dates_shows_them_the_one_way(alice_client, dated):
    for url, expected in _pages(dated).items():
        text = _text(alice_client, url)
        for shown in expected:
            assert shown in text, url
        assert not OTHER_FORMATS.search(text), (url, OTHER_FORMATS.search(text))


def test_dutch_pages_show_dutch_dates(alice_client, dated):
    alice_client.cookies["django_language"] = "nl"
    for url in ("/o/demo/", "/o/demo/actions/", f"/o/demo/maps/{dated['map'].pk}/"):
        assert NL_DAY in _text(alice_client, url), url


def test_a_question_shows_its_finding_dated_the_one_way(alice_client, dated, org):
    question = org.research_questions.create(text="Do they phone?")
    dated["finding"].questions.add(question)
    text = _text(alice_client, f"/o/demo/research/questions/{question.pk}/")
    assert EN_DAY in text


def test_a_conflict_shows_dates_the_one_way(alice_client, dated):
    study = dated["study"]
    Study.objects.filter(pk=study.pk).update(version=study.version + 1)
    response = alice_client.post(
        f"/o/demo/research/studies/{study.pk}/edit/",
        {
            "title": "Survey",
            "method": "questionnaire",
            "started": "2026-09-08",
            "version": study.version,
        },
    )
    assert response.status_code == 409
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert EN_DAY in text and "Sept. 8, 2026" in text
    assert "2026-09-07" not in text


# ---- Selects ---------------------------------------------------------------------


def test_no_form_page_shows_dashes_for_an_empty_choice(alice_client, org):
    """Every page of the organisation, plain and as a fragment, on demo data."""
    url_walk._research(org)
    url_walk._demo_card(org)
    url_walk._demo_action(org)
    values = {
        name: sample(org)
        for name, sample in url_walk.SAMPLES.items()
        if name not in ("membership_id", "invitation_id")
    }
    forms_seen = 0
    for route, pattern in url_walk.org_patterns():
        names = url_walk._parameters(route)
        if any(name not in values for name in names):
            continue  # members and invitations: POST only
        path = url_walk._fill(route, values)
        for headers in ({}, {"HX-Request": "true"}):
            response = alice_client.get(path, headers=headers)
            html = response.get("Content-Type", "").startswith("text/html")
            if response.streaming or response.status_code != 200 or not html:
                continue
            body = response.content.decode()
            forms_seen += body.count("<select")
            assert "---------" not in body, (pattern.name, headers)
    assert forms_seen > 20  # the walk did reach the forms


@pytest.mark.parametrize(
    "url",
    ["/o/demo/research/personas/new/", "/o/demo/research/studies/new/"],
)
def test_optional_choices_say_what_empty_means(alice_client, url):
    body = alice_client.get(url).content.decode()
    assert "---------" not in body
    assert "— not yet known —" in body or "Choose a kind" in body
