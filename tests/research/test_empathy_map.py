"""Empathy-map entries: the card mechanics (add, edit, move, reorder, delete, cite)."""

from research import empathy
from research.models import EmpathyEntry, Finding
from tests.research.helpers import HX, delete_after_lookup, events, url


def _says(persona):
    return list(
        persona.empathy_entries.filter(area="says").values_list("text", flat=True)
    )


def test_it_adds_an_entry_at_the_end_of_its_area(frank, alice_client):
    response = alice_client.post(
        url("entry_add", frank.organisation, frank.pk),
        {"area": "says", "text": "Wie betaalt de montage?"},
        **HX,
    )
    assert response.status_code == 200
    assert events(response) == {"evidence-changed": {}}
    assert b'id="area-says"' in response.content
    assert _says(frank)[-1] == "Wie betaalt de montage?"


def test_an_empty_entry_is_refused_with_a_message(frank, alice_client):
    before = frank.empathy_entries.count()
    response = alice_client.post(
        url("entry_add", frank.organisation, frank.pk),
        {"area": "says", "text": "   "},
        **HX,
    )
    assert response.status_code == 422
    assert b"Write something first." in response.content
    assert frank.empathy_entries.count() == before


def test_a_long_entry_is_refused(frank, alice_client):
    response = alice_client.post(
        url("entry_add", frank.organisation, frank.pk),
        {"area": "says", "text": "x" * 10_000},
        **HX,
    )
    assert response.status_code == 422
    assert b"at most 280 characters" in response.content


def test_an_unknown_area_is_refused(frank, alice_client):
    before = frank.empathy_entries.count()
    alice_client.post(
        url("entry_add", frank.organisation, frank.pk),
        {"area": "smells", "text": "Koffie"},
        **HX,
    )
    assert frank.empathy_entries.count() == before


def test_script_in_an_entry_is_shown_as_text(frank, alice_client):
    alice_client.post(
        url("entry_add", frank.organisation, frank.pk),
        {"area": "feels", "text": "<img src=x onerror=alert(1)>"},
    )
    response = alice_client.get(frank.get_absolute_url())
    assert b"<img src=x" not in response.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in response.content


def test_the_edit_form_replaces_the_card(entry, alice_client):
    response = alice_client.get(
        url("entry_edit", entry.persona.organisation, entry.pk), **HX
    )
    assert b"<textarea" in response.content
    assert f'value="{entry.version}"'.encode() in response.content


def test_it_edits_an_entry(entry, alice_client):
    response = alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "Dit moet goed gaan.", "version": entry.version},
        **HX,
    )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert entry.text == "Dit moet goed gaan."
    assert entry.version == 2


def test_a_stale_edit_is_a_conflict_that_shows_both_texts(entry, alice_client):
    EmpathyEntry.objects.filter(pk=entry.pk).update(text="Dave's text", version=2)
    response = alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "Alice's text", "version": 1},
        **HX,
    )
    entry.refresh_from_db()
    assert response.status_code == 409
    assert entry.text == "Dave's text"
    assert b"Dave&#x27;s text" in response.content
    assert b"Alice&#x27;s text" in response.content
    assert b"Keep theirs" in response.content
    assert b'name="version" value="2"' in response.content


def test_overwrite_with_mine_sends_the_current_version(entry, alice_client):
    EmpathyEntry.objects.filter(pk=entry.pk).update(text="Dave's text", version=2)
    alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "Alice's text", "version": 2},
        **HX,
    )
    entry.refresh_from_db()
    assert entry.text == "Alice's text"
    assert entry.version == 3


def test_a_stale_move_is_a_conflict_that_moves_nothing(entry, alice_client):
    EmpathyEntry.objects.filter(pk=entry.pk).update(text="Dave's text", version=2)
    before = EmpathyEntry.objects.values("area", "position").get(pk=entry.pk)
    response = alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "Alice's text", "area": "feels", "version": 1},
        **HX,
    )
    assert response.status_code == 409
    assert b"Dave&#x27;s text" in response.content
    assert b"Alice&#x27;s text" in response.content
    assert b"Thinks" in response.content and b"Feels" in response.content
    after = EmpathyEntry.objects.values("area", "position", "text").get(pk=entry.pk)
    assert after == {**before, "text": "Dave's text"}


def test_an_entry_deleted_while_saving_says_so(entry, alice_client, monkeypatch):
    delete_after_lookup(monkeypatch, empathy, "get_entry")
    response = alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "Mijn tekst", "version": entry.version},
        **HX,
    )
    assert response.status_code == 409
    assert b"Someone else deleted this while you were editing." in response.content
    assert b"Mijn tekst" in response.content
    assert not EmpathyEntry.objects.filter(pk=entry.pk).exists()


def test_editing_an_entry_someone_deleted_says_so(entry, alice_client):
    path = url("entry_edit", entry.persona.organisation, entry.pk)
    EmpathyEntry.objects.filter(pk=entry.pk).delete()
    response = alice_client.post(path, {"text": "Nieuw", "version": 1}, **HX)
    # The access helper no longer finds it: same answer as for anything missing.
    assert response.status_code == 404


def test_an_empty_edit_is_refused(entry, alice_client):
    response = alice_client.post(
        url("entry_edit", entry.persona.organisation, entry.pk),
        {"text": "", "version": entry.version},
        **HX,
    )
    entry.refresh_from_db()
    assert response.status_code == 422
    assert b"Write something, or delete the entry." in response.content
    assert entry.text != ""


def test_it_moves_an_entry_up(frank, alice_client):
    second = frank.empathy_entries.filter(area="says")[1]
    response = alice_client.post(
        url("entry_move", frank.organisation, second.pk), {"direction": "up"}, **HX
    )
    assert response.status_code == 200
    assert _says(frank) == [
        "Kunnen jullie in juni leveren?",
        "We moeten iets met die rugklachten.",
    ]


def test_moving_the_first_entry_up_changes_nothing(frank, alice_client):
    first = frank.empathy_entries.filter(area="says")[0]
    before = _says(frank)
    alice_client.post(
        url("entry_move", frank.organisation, first.pk), {"direction": "up"}, **HX
    )
    assert _says(frank) == before


def test_it_reorders_an_area(frank, alice_client):
    ids = [str(e.pk) for e in frank.empathy_entries.filter(area="says")]
    response = alice_client.post(
        url("entry_reorder", frank.organisation, frank.pk),
        {"area": "says", "order": ",".join(reversed(ids))},
        **HX,
    )
    assert response.status_code == 200
    assert _says(frank) == [
        "Kunnen jullie in juni leveren?",
        "We moeten iets met die rugklachten.",
    ]


def test_a_stale_reorder_changes_nothing_and_returns_the_area(frank, alice_client):
    ids = [str(e.pk) for e in frank.empathy_entries.filter(area="says")]
    before = _says(frank)
    response = alice_client.post(
        url("entry_reorder", frank.organisation, frank.pk),
        {"area": "says", "order": ids[0]},  # one entry missing
        **HX,
    )
    assert response.status_code == 409
    assert b'id="area-says"' in response.content
    assert _says(frank) == before


def test_entries_of_another_persona_cannot_be_reordered_in(frank, seeded, alice_client):
    other = seeded.personas.exclude(pk=frank.pk).first().empathy_entries.first()
    ids = [str(e.pk) for e in frank.empathy_entries.filter(area="says")]
    response = alice_client.post(
        url("entry_reorder", frank.organisation, frank.pk),
        {"area": "says", "order": ",".join([*ids, str(other.pk)])},
        **HX,
    )
    assert response.status_code == 409


def test_the_delete_question_says_what_goes_with_it(frank, alice_client):
    cited = frank.empathy_entries.get(area="pains")
    response = alice_client.get(url("entry_delete", frank.organisation, cited.pk), **HX)
    assert b"Delete this entry?" in response.content
    assert b"the finding itself stays" in response.content


def test_it_deletes_an_entry(entry, alice_client):
    response = alice_client.post(
        url("entry_delete", entry.persona.organisation, entry.pk),
        {"version": entry.version},
        **HX,
    )
    assert response.status_code == 200
    assert not EmpathyEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_changed_entry_asks_again(entry, alice_client):
    EmpathyEntry.objects.filter(pk=entry.pk).update(text="Veranderd", version=2)
    response = alice_client.post(
        url("entry_delete", entry.persona.organisation, entry.pk),
        {"version": 1},
        **HX,
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#entry-{entry.pk}"
    assert b"Veranderd" in response.content
    assert EmpathyEntry.objects.filter(pk=entry.pk).exists()


def test_citing_a_finding_validates_the_entry(entry, finding, alice_client):
    org = entry.persona.organisation
    share_before = alice_client.get(url("persona_share", org, entry.persona_id))
    response = alice_client.post(
        url("entry_evidence", org, entry.pk),
        {"findings": [finding.pk], "version": entry.version},
        **HX,
    )
    share_after = alice_client.get(url("persona_share", org, entry.persona_id))
    assert response.status_code == 200
    assert events(response) == {"evidence-changed": {}}
    assert b"Validated" in response.content
    assert list(entry.findings.all()) == [finding]
    assert b"25%" in share_before.content
    assert b"38%" in share_after.content


def test_the_picker_lists_the_organisations_findings(entry, alice_client):
    response = alice_client.get(
        url("entry_evidence", entry.persona.organisation, entry.pk), **HX
    )
    assert b"Which findings support this?" in response.content
    assert b"Klantenenqu" in response.content


def test_without_htmx_the_picker_is_a_page_that_cancels_to_the_persona(
    entry, alice_client
):
    response = alice_client.get(
        url("entry_evidence", entry.persona.organisation, entry.pk)
    )
    assert b"<h1>Cite findings</h1>" in response.content
    back = entry.persona.get_absolute_url()
    assert f'href="{back}" hx-get="{back}"'.encode() in response.content


def test_viewers_are_sent_back_from_the_picker(entry, bob_client):
    response = bob_client.get(
        url("entry_evidence", entry.persona.organisation, entry.pk), **HX
    )
    assert response.status_code == 302
    assert response["Location"] == entry.persona.get_absolute_url()


def test_findings_of_another_organisation_cannot_be_cited(
    entry, other_org, alice_client
):
    from research.demo import seed_research

    seed_research(other_org)
    foreign = Finding.objects.filter(study__organisation=other_org).first()
    response = alice_client.post(
        url("entry_evidence", entry.persona.organisation, entry.pk),
        {"findings": [foreign.pk], "version": entry.version},
        **HX,
    )
    assert response.status_code == 422
    assert not entry.findings.exists()


def test_a_stale_citation_is_a_conflict(entry, finding, alice_client):
    EmpathyEntry.objects.filter(pk=entry.pk).update(version=5)
    response = alice_client.post(
        url("entry_evidence", entry.persona.organisation, entry.pk),
        {"findings": [finding.pk], "version": 1},
        **HX,
    )
    assert response.status_code == 409
    assert not entry.findings.exists()


def test_an_entry_dragged_into_another_area_moves_there(frank, alice_client):
    thought = frank.empathy_entries.get(area="thinks")
    says = [str(e.pk) for e in frank.empathy_entries.filter(area="says")]
    response = alice_client.post(
        url("entry_reorder", frank.organisation, frank.pk),
        {"area": "says", "order": ",".join([says[0], str(thought.pk), says[1]])},
        **HX,
    )
    thought.refresh_from_db()
    assert response.status_code == 200
    assert thought.area == "says"
    assert _says(frank)[1] == thought.text
    # Both areas come back; the one it left is swapped out of band.
    assert b'id="area-says"' in response.content
    assert b'id="area-thinks" class="empathy-area area-thinks"' in response.content
    assert b'hx-swap-oob="true"' in response.content


def test_an_entry_of_another_persona_cannot_be_dragged_in(frank, seeded, alice_client):
    foreign = seeded.personas.exclude(pk=frank.pk).first().empathy_entries.first()
    says = [str(e.pk) for e in frank.empathy_entries.filter(area="says")]
    response = alice_client.post(
        url("entry_reorder", frank.organisation, frank.pk),
        {"area": "says", "order": ",".join([*says, str(foreign.pk)])},
        **HX,
    )
    foreign.refresh_from_db()
    assert response.status_code == 409
    assert foreign.persona_id != frank.pk


def test_editing_can_move_an_entry_to_another_area(frank, alice_client):
    thought = frank.empathy_entries.get(area="thinks")
    response = alice_client.post(
        url("entry_edit", frank.organisation, thought.pk),
        {"text": thought.text, "area": "feels", "version": thought.version},
        **HX,
    )
    thought.refresh_from_db()
    assert response.status_code == 200
    assert thought.area == "feels"
    assert list(frank.empathy_entries.filter(area="feels"))[-1] == thought
    # The area it left answers the request; the one it joined comes out of band.
    assert response["HX-Retarget"] == "#area-thinks"
    assert b'id="area-feels" class="empathy-area area-feels"' in response.content
