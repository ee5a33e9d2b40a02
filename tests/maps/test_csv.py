"""CSV downloads: the actions board and a map's touchpoints (maps.files.csv_views)."""

import codecs
import csv
import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maps.files.csv_views import safe_cell
from maps.models import (
    Action,
    Card,
    JourneyMap,
    Lane,
    LaneKind,
    MapStatus,
    map_create_from_template,
)
from research.models import Finding, Study

HX = {"HTTP_HX_REQUEST": "true"}
BOARD_HEADER = [
    "Map",
    "Stage",
    "Action",
    "Description",
    "Owner",
    "Due date",
    "Status",
    "Overdue",
    "About the card",
    "Evaluation",
]
TOUCHPOINT_HEADER = [
    "Stage",
    "Lane",
    "Text",
    "Channel",
    "Online or offline",
    "Branded",
    "Owning department",
    "Customer's experience",
    "Moment of truth",
    "Findings cited",
]


def today():
    return timezone.localdate()


def read_csv(response, delimiter=","):
    """The rows of a CSV download, after checking its BOM and line ends."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    text = body[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.reader(StringIO(text, newline=""), delimiter=delimiter))


def board_csv(client, org, **params):
    return client.get(reverse("action_board_csv", args=[org.slug]), params)


def touchpoints_csv(client, journey_map):
    url = reverse(
        "map_touchpoints_csv", args=[journey_map.organisation.slug, journey_map.pk]
    )
    return client.get(url)


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def board(org, alice, dave, trip):
    dave.first_name, dave.last_name = "Daan", "Ĳsselmeer"
    dave.save()
    other = map_create_from_template(org, alice, "Office chairs", "aida")
    old = map_create_from_template(org, alice, "Old map", "aida")
    JourneyMap.objects.filter(pk=old.pk).update(status=MapStatus.ARCHIVED)
    stages = list(trip.stages.all())
    lane = trip.lanes.get(kind=LaneKind.TOUCHPOINTS)
    card = Card.objects.create(
        map=trip, stage=stages[1], lane=lane, text="Website met prijzen in €"
    )
    past = today() - datetime.timedelta(days=3)
    later = today() + datetime.timedelta(days=30)
    Action.objects.create(
        map=trip,
        stage=stages[1],
        card=card,
        title="Prijzen tonen op de website",
        description="Eén pagina, geëvalueerd door het ĳsteam.\r\nTweede regel.",
        owner=dave,
        due=later,
    )
    Action.objects.create(
        map=trip, stage=stages[0], title="Bel terug", owner=alice, due=past
    )
    Action.objects.create(
        map=other,
        stage=other.stages.first(),
        title="Stoelen testen",
        owner=dave,
        due=past,
        status="done",
        evaluation="Werkt: 20% minder retouren.",
    )
    Action.objects.create(map=old, stage=old.stages.first(), title="Archived one")
    return {"trip": trip, "other": other, "old": old}


# ---- safe_cell -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234 5678", "'+31 6 1234 5678"),
        ("-5", "'-5"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\n=1+1"),
        ("Prijs: €5 - ½", "Prijs: €5 - ½"),
        ("a\r\nb", "a\nb"),
        (datetime.date(2026, 11, 23), "2026-11-23"),
        (3, "3"),
        (True, "Yes"),
        (False, "No"),
        (None, ""),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


# ---- The actions board -------------------------------------------------------------


def test_board_csv_has_the_boards_actions_in_its_order(alice_client, org, board):
    response = board_csv(alice_client, org)
    rows = read_csv(response)
    assert rows[0] == BOARD_HEADER
    assert response.content.count(b"\r\n") == 4  # one per row: CRLF
    assert [row[2] for row in rows[1:]] == [
        "Bel terug",
        "Prijzen tonen op de website",
        "Stoelen testen",
    ]
    assert rows[1] == [
        "Podiatrist visit",
        "Awareness",
        "Bel terug",
        "",
        "alice",
        (today() - datetime.timedelta(days=3)).isoformat(),
        "Open",
        "Yes",
        "",
        "",
    ]
    assert rows[3][6:] == ["Done", "No", "", "Werkt: 20% minder retouren."]


def test_board_csv_is_a_named_attachment(alice_client, org, board):
    response = board_csv(alice_client, org)
    assert response["Content-Disposition"] == (
        f'attachment; filename="demo-actions-{today().isoformat()}.csv"'
    )


def test_board_csv_keeps_dutch_characters_and_line_breaks(alice_client, org, board):
    rows = read_csv(board_csv(alice_client, org))
    assert len(rows) == 4  # the two-line description did not start a row
    row = rows[2]
    assert row[3] == "Eén pagina, geëvalueerd door het ĳsteam.\nTweede regel."
    assert row[4] == "Daan Ĳsselmeer"
    assert row[8] == "Website met prijzen in €"


def test_board_csv_escapes_formulas(alice_client, org, trip):
    titles = ["=1+1", "+1", "-5", "@SUM(A1)", "\tx", "\rx", "plain"]
    for i, title in enumerate(titles):
        Action.objects.create(map=trip, title=title, position=i)
    rows = read_csv(board_csv(alice_client, org))
    assert sorted(row[2] for row in rows[1:]) == sorted(
        ["'=1+1", "'+1", "'-5", "'@SUM(A1)", "'\tx", "'\nx", "plain"]
    )


def test_board_csv_applies_the_filters(alice_client, dave_client, org, board):
    def titles(client, **params):
        return [row[2] for row in read_csv(board_csv(client, org, **params))[1:]]

    assert titles(alice_client, owner="me") == ["Bel terug"]
    assert titles(dave_client, owner="me") == [
        "Prijzen tonen op de website",
        "Stoelen testen",
    ]
    assert titles(alice_client, status="done") == ["Stoelen testen"]
    assert titles(alice_client, map=board["other"].pk) == ["Stoelen testen"]
    assert "Archived one" in titles(alice_client, archived="on")


def test_board_csv_with_nothing_to_show_has_the_header_only(alice_client, org):
    assert read_csv(board_csv(alice_client, org)) == [BOARD_HEADER]


def test_board_csv_is_in_dutch_with_semicolons_for_dutch_users(
    alice_client, org, board
):
    alice_client.cookies["django_language"] = "nl"
    response = alice_client.get(
        reverse("action_board_csv", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.content.decode("utf-8-sig").startswith(
        '"Klantreis";"Fase";"Actie";'
    )
    rows = read_csv(response, delimiter=";")
    assert rows[0][:7] == [
        "Klantreis",
        "Fase",
        "Actie",
        "Beschrijving",
        "Eigenaar",
        "Deadline",
        "Status",
    ]
    assert len(rows) == 4
    assert rows[1][2] == "Bel terug"


def test_viewers_may_download_the_board(bob_client, org, board):
    assert len(read_csv(board_csv(bob_client, org))) == 4


def test_outsiders_get_404_for_the_board_csv(carol_client, org, board):
    assert board_csv(carol_client, org).status_code == 404


def test_anonymous_visitors_sign_in_for_the_board_csv(client, org, board):
    response = board_csv(client, org)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_board_csv_query_count_does_not_grow(
    alice_client, org, board, dave, django_assert_max_num_queries
):
    alice_client.get(reverse("action_board_csv", args=[org.slug]))
    # session, user, membership, members, maps, actions
    with django_assert_max_num_queries(6):
        board_csv(alice_client, org)
    stage = board["other"].stages.first()
    for i in range(20):
        Action.objects.create(
            map=board["other"], stage=stage, title=f"a{i}", owner=dave
        )
    with django_assert_max_num_queries(6):
        rows = read_csv(board_csv(alice_client, org))
    assert len(rows) == 24


def test_the_board_links_to_the_csv_with_its_filters(alice_client, org, board):
    url = reverse("action_board", args=[org.slug])
    csv_url = reverse("action_board_csv", args=[org.slug])
    page = alice_client.get(url).content.decode()
    assert f'href="{csv_url}" download' in page
    swapped = alice_client.get(url, {"owner": "me", "status": "open"}, **HX)
    assert (
        f'href="{csv_url}?owner=me&amp;status=open" download'
        in swapped.content.decode()
    )


# ---- A map's touchpoints -------------------------------------------------------------


@pytest.fixture
def touchpoints(org, alice, trip):
    stages = list(trip.stages.all())
    lane = trip.lanes.get(kind=LaneKind.TOUCHPOINTS)
    hidden = Lane.objects.create(
        map=trip,
        title="Achter de schermen",
        kind=LaneKind.TOUCHPOINTS,
        hidden=True,
        position=9,
    )
    text_lane = trip.lanes.exclude(kind=LaneKind.TOUCHPOINTS).first()
    Card.objects.create(
        map=trip, stage=stages[0], lane=text_lane, text="Not a touchpoint"
    )
    study = Study.objects.create(
        organisation=org, title="Enquête", method="survey", kind="quant"
    )
    findings = [
        Finding.objects.create(study=study, statement=f"Bevinding {i}")
        for i in range(2)
    ]
    second = Card.objects.create(
        map=trip,
        stage=stages[2],
        lane=lane,
        text="Offerte per e-mail",
        channel="email",
        online=True,
        branded=True,
        department="Verkoop",
        experience="negative",
        moment_of_truth=True,
        position=0,
    )
    second.findings.set(findings)
    Card.objects.create(
        map=trip,
        stage=stages[0],
        lane=lane,
        text="Beurs in de RAI",
        channel="custom",
        custom_channel="Vakbeurs",
        online=False,
        branded=False,
        position=1,
    )
    Card.objects.create(
        map=trip, stage=stages[0], lane=lane, text="=cmd|' /C calc'!A0", position=0
    )
    Card.objects.create(
        map=trip,
        stage=stages[0],
        lane=hidden,
        text="Factuur met één regel\nen nog één",
        channel="invoice",
    )
    return trip


def test_touchpoints_csv_has_a_row_per_touchpoint_card(alice_client, touchpoints):
    rows = read_csv(touchpoints_csv(alice_client, touchpoints))
    assert rows[0] == TOUCHPOINT_HEADER
    assert rows[1:] == [
        [
            "Awareness",
            "Touchpoints",
            "'=cmd|' /C calc'!A0",
            "",
            "",
            "",
            "",
            "",
            "No",
            "0",
        ],
        [
            "Awareness",
            "Touchpoints",
            "Beurs in de RAI",
            "Vakbeurs",
            "Offline",
            "No",
            "",
            "",
            "No",
            "0",
        ],
        [
            "Awareness",
            "Achter de schermen",
            "Factuur met één regel\nen nog één",
            "Invoice",
            "",
            "",
            "",
            "",
            "No",
            "0",
        ],
        [
            "Purchase",
            "Touchpoints",
            "Offerte per e-mail",
            "Email",
            "Online",
            "Yes",
            "Verkoop",
            "Negative",
            "Yes",
            "2",
        ],
    ]


def test_touchpoints_csv_is_a_named_attachment(alice_client, touchpoints):
    response = touchpoints_csv(alice_client, touchpoints)
    assert response["Content-Disposition"] == (
        f'attachment; filename="podiatrist-visit-touchpoints-{today().isoformat()}.csv"'
    )


def test_touchpoints_csv_for_viewers_outsiders_and_anonymous(
    bob_client, carol_client, client, touchpoints
):
    assert len(read_csv(touchpoints_csv(bob_client, touchpoints))) == 5
    assert touchpoints_csv(carol_client, touchpoints).status_code == 404
    response = touchpoints_csv(client, touchpoints)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_touchpoints_csv_query_count_does_not_grow(
    alice_client, touchpoints, django_assert_max_num_queries
):
    touchpoints_csv(alice_client, touchpoints)
    # session, user, membership, map, cards
    with django_assert_max_num_queries(5):
        touchpoints_csv(alice_client, touchpoints)
    lane = touchpoints.lanes.filter(kind=LaneKind.TOUCHPOINTS).first()
    finding = Finding.objects.first()
    for stage in touchpoints.stages.all():
        for i in range(5):
            card = Card.objects.create(
                map=touchpoints, stage=stage, lane=lane, text=f"t{i}", channel="phone"
            )
            card.findings.add(finding)
    with django_assert_max_num_queries(5):
        rows = read_csv(touchpoints_csv(alice_client, touchpoints))
    assert len(rows) == 5 + 25


def test_touchpoints_csv_in_dutch(alice_client, touchpoints):
    alice_client.cookies["django_language"] = "nl"
    url = reverse(
        "map_touchpoints_csv", args=[touchpoints.organisation.slug, touchpoints.pk]
    )
    rows = read_csv(alice_client.get(url, HTTP_ACCEPT_LANGUAGE="nl"), delimiter=";")
    assert rows[0][:4] == ["Fase", "Baan", "Tekst", "Kanaal"]
    assert rows[4][2:5] == ["Offerte per e-mail", "E-mail", "Online"]


def test_the_demo_b2b_map_exports_every_touchpoint(settings, db):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    b2b = JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")
    client = Client()
    client.force_login(User.objects.get(username="bob"))  # a viewer
    rows = read_csv(touchpoints_csv(client, b2b))
    cards = Card.objects.filter(map=b2b, lane__kind=LaneKind.TOUCHPOINTS)
    assert len(rows) - 1 == cards.count() > 0
    assert sorted(row[2] for row in rows[1:]) == sorted(
        safe_cell(text) for text in cards.values_list("text", flat=True)
    )
    assert any(row[3] for row in rows[1:])  # the demo's channels came along
