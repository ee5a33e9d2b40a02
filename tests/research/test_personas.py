"""Personas: list and search, create, edit with a version check, delete."""

from research.models import DMUMember, EmpathyEntry, Persona
from tests.research.helpers import BASE_QUERIES, HX, url, warm

SCRIPT = "<script>alert('x')</script>"


def _persona_data(**overrides):
    data = {
        "name": "Servicedesk Sanne",
        "job": "Teamleider klantenservice",
        "market": "b2c",
        "need_type": "",
        "awareness": "problem",
        "version": "",
    }
    data.update(overrides)
    return data


def test_the_list_shows_personas_with_their_validated_share(
    seeded, alice_client, django_assert_num_queries
):
    warm(alice_client, seeded)
    with django_assert_num_queries(BASE_QUERIES + 1):  # the annotated personas
        response = alice_client.get(url("persona_list", seeded))
    assert response.status_code == 200
    assert b"Facilitair Frank" in response.content
    assert b"2 of 8 entries validated" in response.content


def test_search_narrows_the_list(seeded, alice_client):
    response = alice_client.get(
        url("persona_list", seeded),
        {"q": "inkoper"},
        HTTP_HX_TARGET="persona-results",
        **HX,
    )
    assert b"Inkoper Ingrid" in response.content
    assert b"Facilitair Frank" not in response.content
    assert b"<html" not in response.content  # just the fragment


def test_an_empty_list_says_what_to_do(org, alice_client):
    response = alice_client.get(url("persona_list", org))
    assert b"Create the first persona" in response.content


def test_viewers_see_no_create_button(org, bob_client):
    response = bob_client.get(url("persona_list", org))
    assert b"Create the first persona" not in response.content


def test_it_creates_a_persona(org, alice_client):
    response = alice_client.post(url("persona_create", org), _persona_data())
    persona = Persona.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == persona.get_absolute_url()
    assert persona.name == "Servicedesk Sanne"


def test_a_name_is_required(org, alice_client):
    response = alice_client.post(url("persona_create", org), _persona_data(name=" "))
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not Persona.objects.exists()


def test_a_ten_thousand_character_name_is_refused(org, alice_client):
    response = alice_client.post(
        url("persona_create", org), _persona_data(name="x" * 10_000)
    )
    assert b"at most 80 characters" in response.content
    assert not Persona.objects.exists()


def test_html_is_stored_as_text_and_shown_escaped(org, alice_client):
    alice_client.post(
        url("persona_create", org), _persona_data(name=SCRIPT, goals=SCRIPT)
    )
    persona = Persona.objects.get()
    response = alice_client.get(persona.get_absolute_url())
    assert persona.name == SCRIPT
    assert SCRIPT.encode() not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_detail_page_reads_like_a_profile(
    frank, alice_client, django_assert_num_queries
):
    warm(alice_client, frank.organisation)
    # persona, entries, their findings, criteria, share, DMU roles, questions
    with django_assert_num_queries(BASE_QUERIES + 7):
        response = alice_client.get(frank.get_absolute_url())
    content = response.content.decode()
    assert "Als het niet werkt" in content
    assert content.index("Service") < content.index("Reviews")  # by weight
    assert "25%" in content


def test_it_edits_a_persona(frank, alice_client):
    data = _persona_data(name="Frank de Facilitair", version=frank.version)
    response = alice_client.post(
        url("persona_edit", frank.organisation, frank.pk), data
    )
    frank.refresh_from_db()
    assert response.status_code == 302
    assert frank.name == "Frank de Facilitair"
    assert frank.version == 2


def test_a_stale_edit_shows_both_versions_and_saves_nothing(frank, alice_client):
    Persona.objects.filter(pk=frank.pk).update(name="Frank (by dave)", version=2)
    data = _persona_data(name="Frank (by alice)", version=1)
    response = alice_client.post(
        url("persona_edit", frank.organisation, frank.pk), data
    )
    frank.refresh_from_db()
    assert response.status_code == 409
    assert frank.name == "Frank (by dave)"
    assert b"Frank (by dave)" in response.content
    assert b"Frank (by alice)" in response.content
    # Sending the form again now overwrites: it carries the current version.
    assert b'name="version" value="2"' in response.content


def test_the_delete_page_says_what_goes_with_it(frank, alice_client):
    response = alice_client.get(url("persona_delete", frank.organisation, frank.pk))
    assert b"8 empathy-map entries are deleted with it" in response.content
    assert b"1 DMU role stays, but without a persona" in response.content


def test_deleting_a_persona_keeps_its_dmu_roles(frank, alice_client):
    response = alice_client.post(url("persona_delete", frank.organisation, frank.pk))
    assert response.status_code == 302
    assert not Persona.objects.filter(pk=frank.pk).exists()
    assert not EmpathyEntry.objects.filter(persona_id=frank.pk).exists()
    assert DMUMember.objects.filter(role="initiator", persona=None).exists()


def test_the_list_is_alphabetical(seeded, alice_client):
    content = alice_client.get(url("persona_list", seeded)).content.decode()
    assert content.index("Directeur Dirk") < content.index("Facilitair Frank")
    assert content.index("Facilitair Frank") < content.index("Inkoper Ingrid")
