"""
The access matrix for every research write: outsiders 404, viewers 403, GET on
a POST-only view 405, anonymous visitors sent to sign in.
"""

import uuid

import pytest
from django.urls import reverse

from research import urls as research_urls
from research.models import DecisionCriterion, DMUMember, EmpathyEntry, Persona
from tests.research.helpers import url

# (url name, which sample object, POST-only?)
WRITES = [
    ("persona_create", None, False),
    ("persona_edit", "persona", False),
    ("persona_delete", "persona", False),
    ("criterion_add", "persona", True),
    ("criterion_weight", "criterion", True),
    ("criterion_delete", "criterion", True),
    ("entry_add", "persona", True),
    ("entry_reorder", "persona", True),
    ("entry_edit", "entry", False),
    ("entry_move", "entry", True),
    ("entry_delete", "entry", False),
    ("entry_evidence", "entry", False),
    ("dmu_create", None, False),
    ("dmu_edit", "dmu", False),
    ("dmu_delete", "dmu", False),
    ("dmu_member_add", "dmu", True),
    ("dmu_member_edit", "member", False),
    ("dmu_member_delete", "member", False),
    ("dmu_member_evidence", "member", False),
    ("question_create", None, False),
    ("question_detail", "question", False),
    ("question_status", "question", True),
    ("question_delete", "question", False),
    ("study_create", None, False),
    ("study_edit", "study", False),
    ("study_delete", "study", False),
    ("finding_add", "study", True),
    ("finding_edit", "finding", False),
    ("finding_delete", "finding", False),
]


@pytest.fixture
def samples(seeded, frank, dmu, finding):
    return {
        "persona": frank.pk,
        "criterion": frank.criteria.first().pk,
        "entry": frank.empathy_entries.first().pk,
        "dmu": dmu.pk,
        "member": dmu.members.first().pk,
        "question": seeded.research_questions.first().pk,
        "study": finding.study_id,
        "finding": finding.pk,
    }


def _path(name, sample, samples, org):
    return url(name, org, *([samples[sample]] if sample else []))


def _counts():
    return (
        Persona.objects.count(),
        EmpathyEntry.objects.count(),
        DecisionCriterion.objects.count(),
        DMUMember.objects.count(),
    )


@pytest.mark.parametrize(("name", "sample", "post_only"), WRITES)
def test_outsiders_get_404(name, sample, post_only, samples, seeded, carol_client):
    path = _path(name, sample, samples, seeded)
    before = _counts()
    assert carol_client.post(path).status_code == 404
    if not post_only:
        assert carol_client.get(path).status_code == 404
    assert _counts() == before


@pytest.mark.parametrize(("name", "sample", "post_only"), WRITES)
def test_it_rejects_viewers(name, sample, post_only, samples, seeded, bob_client):
    path = _path(name, sample, samples, seeded)
    before = _counts()
    assert bob_client.post(path, {"text": "x", "version": 1}).status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(
    ("name", "sample"), [(n, s) for n, s, post_only in WRITES if post_only]
)
def test_post_only_views_refuse_get(name, sample, samples, seeded, alice_client):
    assert alice_client.get(_path(name, sample, samples, seeded)).status_code == 405


@pytest.mark.parametrize(("name", "sample", "post_only"), WRITES)
def test_anonymous_visitors_sign_in_first(
    name, sample, post_only, samples, seeded, client
):
    response = client.post(_path(name, sample, samples, seeded))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_objects_of_another_organisation_are_404(
    seeded, other_org, carol_client, frank
):
    # Carol is a member somewhere, just not where Frank lives.
    path = url("persona_detail", other_org, frank.pk)
    assert carol_client.get(path).status_code == 404


# The fragments htmx fetches by themselves (a page without htmx gets redirected).
FRAGMENTS = [
    ("persona_share", "persona"),
    ("entry_card", "entry"),
    ("dmu_share", "dmu"),
    ("dmu_member_card", "member"),
]


@pytest.mark.parametrize(("name", "sample"), FRAGMENTS)
def test_an_anonymous_fragment_request_sends_the_whole_page_to_sign_in(
    name, sample, samples, seeded, client
):
    page = url("research_overview", seeded)
    response = client.get(
        _path(name, sample, samples, seeded),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )
    # Back to the page the fragment was on, not to the fragment.
    assert response["HX-Redirect"] == f"/accounts/login/?next={page}"
    assert b"<html" not in response.content


def _sample_kwargs(pattern) -> dict:
    # Any id will do: the method is refused before anything is looked up.
    return {name: uuid.uuid4() for name in pattern.pattern.converters}


@pytest.mark.parametrize("pattern", research_urls.urlpatterns, ids=str)
def test_every_view_refuses_put_patch_and_delete(pattern, org, alice_client):
    path = reverse(
        pattern.name, kwargs={"org_slug": org.slug, **_sample_kwargs(pattern)}
    )
    refused = [
        alice_client.generic(m, path).status_code for m in ("PUT", "PATCH", "DELETE")
    ]
    assert refused == [405, 405, 405]


# The edit forms (the question's page is also its detail page: viewers read it).
EDIT_FORMS = [
    ("entry_edit", "entry"),
    ("persona_edit", "persona"),
    ("dmu_edit", "dmu"),
    ("dmu_member_edit", "member"),
    ("study_edit", "study"),
    ("finding_edit", "finding"),
]


@pytest.mark.parametrize(("name", "sample"), EDIT_FORMS)
def test_viewers_get_no_edit_form(name, sample, samples, seeded, bob_client):
    path = _path(name, sample, samples, seeded)
    assert bob_client.get(path).status_code == 403
    assert bob_client.get(path, HTTP_HX_REQUEST="true").status_code == 403
