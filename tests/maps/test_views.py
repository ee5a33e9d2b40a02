"""The maps list, creating from a template, the canvas page and map housekeeping."""

import pytest
from django.urls import reverse

from maps.models import Card, JourneyMap, LaneKind, MapStatus, map_create_from_template
from research.demo import seed_research


@pytest.fixture
def seeded(org):
    seed_research(org)
    return org


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _url(name, org, *args):
    return reverse(name, args=[org.slug, *args])


# ---- List ----------------------------------------------------------------


def test_empty_list_says_what_to_do(alice_client, org):
    response = alice_client.get(_url("map_list", org))
    assert response.status_code == 200
    assert b"No journey maps yet." in response.content
    assert _url("map_create", org).encode() in response.content


def test_viewer_sees_the_list_but_no_new_button(bob_client, org, trip):
    response = bob_client.get(_url("map_list", org))
    assert response.status_code == 200
    assert b"Podiatrist visit" in response.content
    assert _url("map_create", org).encode() not in response.content


def test_list_filters_by_status_and_persona(alice_client, seeded, alice):
    frank, other = list(seeded.personas.order_by("name"))[:2]
    a = map_create_from_template(seeded, alice, "Map A", "aida", personas=[frank])
    b = map_create_from_template(seeded, alice, "Map B", "aida", personas=[other])
    c = map_create_from_template(seeded, alice, "Map C", "aida", personas=[frank])
    JourneyMap.objects.filter(pk=c.pk).update(status=MapStatus.ARCHIVED)
    JourneyMap.objects.filter(pk=b.pk).update(status=MapStatus.ACTIVE)

    def titles(**params):
        response = alice_client.get(_url("map_list", seeded), params)
        assert response.status_code == 200
        return sorted(m.title for m in response.context["maps"])

    assert titles() == ["Map A", "Map B"]  # archived maps are out of the way
    assert titles(status="archived") == ["Map C"]
    assert titles(status="active") == ["Map B"]
    assert titles(status="all") == ["Map A", "Map B", "Map C"]
    assert titles(persona=frank.pk) == ["Map A"]
    assert titles(persona=frank.pk, status="all") == ["Map A", "Map C"]
    assert titles(persona=other.pk) == ["Map B"]
    assert a.title in alice_client.get(_url("map_list", seeded)).content.decode()


def test_list_ignores_a_persona_of_another_organisation(
    alice_client, seeded, other_org, trip
):
    from research.models import Persona

    foreign = Persona.objects.create(organisation=other_org, name="Foreign")
    response = alice_client.get(_url("map_list", seeded), {"persona": foreign.pk})
    assert response.status_code == 200
    assert [m.title for m in response.context["maps"]] == ["Podiatrist visit"]


def test_list_query_count_does_not_grow_with_maps(
    alice_client, seeded, alice, django_assert_num_queries
):
    personas = list(seeded.personas.all())
    url = _url("map_list", seeded)

    def make(n):
        for i in range(n):
            m = map_create_from_template(seeded, alice, f"M{i}", "aida")
            m.personas.set(personas)
            stage, lane = m.stages.first(), m.lanes.first()
            Card.objects.create(map=m, stage=stage, lane=lane, text="x")

    make(1)
    alice_client.get(url)  # warm the session
    # session, user, membership, maps, their personas, the organisation
    # switcher, the persona filter's choices
    with django_assert_num_queries(7):
        alice_client.get(url)
    make(5)
    with django_assert_num_queries(7):
        response = alice_client.get(url)
    assert len(response.context["maps"]) == 6


# ---- Create --------------------------------------------------------------


def test_create_from_template(dave_client, seeded, dave):
    frank = seeded.personas.first()
    dmu = seeded.dmus.first()
    response = dave_client.post(
        _url("map_create", seeded),
        {
            "title": "  Support journey  ",
            "template": "service_blueprint",
            "personas": [frank.pk],
            "dmu": dmu.pk,
            "scope": "From the first problem to its fix",
            "objective": "Fewer calls",
        },
    )
    journey_map = JourneyMap.objects.get()
    assert response.status_code == 302
    assert response["Location"] == journey_map.get_absolute_url()
    assert journey_map.title == "Support journey"
    assert journey_map.type == "blueprint"
    assert journey_map.created_by == dave
    assert list(journey_map.personas.all()) == [frank]
    assert journey_map.dmu == dmu
    assert journey_map.stages.first().title == "Normal use"
    assert journey_map.lanes.filter(title="Backstage actions").exists()


def test_create_form_lists_every_template(alice_client, org):
    response = alice_client.get(_url("map_create", org))
    assert response.status_code == 200
    for name in [b"7 phases", b"5 phases", b"AIDA", b"See-Think-Do-Care"]:
        assert name in response.content
    assert b"Normal use" in response.content  # stages are shown with the template


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "template": "aida"},
        {"title": "   ", "template": "aida"},
        {"title": "x" * 151, "template": "aida"},
        {"title": "Trip", "template": "nonsense"},
        {"title": "Trip", "template": "aida", "type": "nonsense"},
    ],
)
def test_create_rejects_bad_input(alice_client, org, data):
    response = alice_client.post(_url("map_create", org), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not JourneyMap.objects.exists()


def test_create_refuses_a_persona_of_another_organisation(alice_client, org, other_org):
    from research.models import Persona

    foreign = Persona.objects.create(organisation=other_org, name="Foreign")
    response = alice_client.post(
        _url("map_create", org),
        {"title": "Trip", "template": "aida", "personas": [foreign.pk]},
    )
    assert response.status_code == 200
    assert "personas" in response.context["form"].errors
    assert not JourneyMap.objects.exists()


def test_html_in_a_title_is_shown_not_run(alice_client, org, alice):
    m = map_create_from_template(org, alice, "<script>alert(1)</script>", "aida")
    for url in (_url("map_list", org), m.get_absolute_url()):
        content = alice_client.get(url).content
        assert b"<script>alert(1)" not in content
        assert b"&lt;script&gt;alert(1)" in content


# ---- Detail --------------------------------------------------------------


def test_detail_shows_the_grid(bob_client, org, trip):
    stage = trip.stages.get(title="Purchase")
    lane = trip.lanes.get(kind=LaneKind.TOUCHPOINTS)
    Card.objects.create(
        map=trip, stage=stage, lane=lane, text="Booking site", channel="website"
    )
    response = bob_client.get(trip.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Awareness") < content.index("Purchase")
    assert "Booking site" in content
    assert "Website" in content
    rows = response.context["rows"]
    assert [row.lane.title for row in rows][:3] == [
        "Customer goals",
        "Actions",
        "Touchpoints",
    ]
    touch_cells = {row.lane: row.cells for row in rows}[lane]
    assert [c.text for c in touch_cells[2]] == ["Booking site"]
    # A viewer gets no buttons that would only answer 403.
    assert _url("map_delete", org, trip.pk) not in content


def test_detail_hides_hidden_lanes(alice_client, trip):
    trip.lanes.filter(title="Actions").update(hidden=True)
    response = alice_client.get(trip.get_absolute_url())
    assert "Actions" not in [row.lane.title for row in response.context["rows"]]


# ---- Access ----------------------------------------------------------------


def test_outsider_gets_404_everywhere(carol_client, org, trip):
    for name in ["map_detail", "map_duplicate", "map_delete"]:
        assert carol_client.get(_url(name, org, trip.pk)).status_code == 404
    for name in ["map_archive", "map_restore", "map_delete", "map_duplicate"]:
        assert carol_client.post(_url(name, org, trip.pk)).status_code == 404
    assert carol_client.get(_url("map_list", org)).status_code == 404
    assert carol_client.post(_url("map_create", org), {}).status_code == 404


def test_viewer_gets_403_on_writes(bob_client, org, trip):
    for name in ["map_duplicate", "map_delete"]:
        assert bob_client.get(_url(name, org, trip.pk)).status_code == 403
    for name in ["map_archive", "map_restore", "map_delete", "map_duplicate"]:
        assert bob_client.post(_url(name, org, trip.pk)).status_code == 403
    assert bob_client.get(_url("map_create", org)).status_code == 403
    assert (
        bob_client.post(
            _url("map_create", org), {"title": "x", "template": "aida"}
        ).status_code
        == 403
    )
    assert JourneyMap.objects.count() == 1
    assert JourneyMap.objects.get().status == MapStatus.DRAFT


def test_a_map_of_another_organisation_is_404(alice_client, other_org, carol):
    foreign = map_create_from_template(other_org, carol, "Theirs", "aida")
    # Alice is a member of Demo, not Other: the map under Demo's slug is missing.
    url = reverse("map_detail", args=["demo", foreign.pk])
    assert alice_client.get(url).status_code == 404


def test_reads_refuse_posts(alice_client, org, trip):
    assert alice_client.post(_url("map_list", org)).status_code == 405
    assert alice_client.post(trip.get_absolute_url()).status_code == 405
    assert alice_client.get(_url("map_archive", org, trip.pk)).status_code == 405


# ---- Duplicate, archive, restore, delete -----------------------------------


def test_duplicate(dave_client, org, trip, dave):
    stage, lane = trip.stages.first(), trip.lanes.first()
    Card.objects.create(map=trip, stage=stage, lane=lane, text="Sees an ad")
    url = _url("map_duplicate", org, trip.pk)
    form = dave_client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "Future state of Podiatrist visit"
    response = dave_client.post(url, {"title": "Future"})
    copy = JourneyMap.objects.get(title="Future")
    assert response["Location"] == copy.get_absolute_url()
    assert copy.stages.count() == trip.stages.count()
    assert copy.lanes.count() == trip.lanes.count()
    assert copy.cards.get().text == "Sees an ad"
    assert copy.created_by == dave


def test_duplicate_needs_a_title(alice_client, org, trip):
    response = alice_client.post(_url("map_duplicate", org, trip.pk), {"title": " "})
    assert response.status_code == 200
    assert JourneyMap.objects.count() == 1


def test_archive_and_restore(alice_client, org, trip):
    response = alice_client.post(_url("map_archive", org, trip.pk))
    assert response["Location"] == _url("map_list", org)
    trip.refresh_from_db()
    assert trip.status == MapStatus.ARCHIVED
    assert trip.revision == 2
    assert trip.activities.first().verb == "archive"
    listed = alice_client.get(_url("map_list", org))
    assert listed.context["maps"] == []
    assert b"1 archived map" in listed.content

    response = alice_client.post(_url("map_restore", org, trip.pk))
    assert response["Location"] == trip.get_absolute_url()
    trip.refresh_from_db()
    assert trip.status == MapStatus.ACTIVE
    assert trip.activities.first().verb == "restore"


def test_delete_asks_first(alice_client, org, trip):
    url = _url("map_delete", org, trip.pk)
    response = alice_client.get(url)
    assert response.status_code == 200
    assert b"5 stages are deleted with it." in response.content
    assert b"This cannot be undone." in response.content
    assert JourneyMap.objects.filter(pk=trip.pk).exists()

    response = alice_client.post(url)
    assert response["Location"] == _url("map_list", org)
    assert not JourneyMap.objects.filter(pk=trip.pk).exists()


def test_nav_marks_maps_current(alice_client, org, trip):
    content = alice_client.get(trip.get_absolute_url()).content.decode()
    maps_url = _url("map_list", org)
    assert f'href="{maps_url}" aria-current="page"' in content


def test_canvas_query_count_does_not_grow_with_cards(
    alice_client, trip, django_assert_num_queries
):
    stages = list(trip.stages.all())
    # Emotion and action lanes hold emotions and actions, not cards.
    lanes = list(trip.lanes.exclude(kind__in=[LaneKind.EMOTION, LaneKind.ACTIONS]))

    def add(n):
        Card.objects.bulk_create(
            Card(map=trip, stage=stages[i % 5], lane=lanes[i % 6], text=f"c{i}")
            for i in range(n)
        )

    add(5)
    url = trip.get_absolute_url()
    alice_client.get(url)
    # session, user, membership, map, stages, lanes, cards, personas, emotions,
    # actions, switcher
    with django_assert_num_queries(11):
        alice_client.get(url)
    add(60)
    with django_assert_num_queries(11):
        response = alice_client.get(url)
    assert response.content.count(b'class="map-card') == 65
