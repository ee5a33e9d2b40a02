"""Research questions, studies and findings, and the overview that ties them."""

from research import questions
from research.models import Finding, QuestionStatus, ResearchQuestion, Study
from tests.research.helpers import BASE_QUERIES, delete_after_lookup, url, warm


def test_the_overview_puts_quantitative_beside_qualitative(
    seeded, alice_client, django_assert_num_queries
):
    warm(alice_client, seeded)
    # questions, studies, two shares, persona and DMU counts
    with django_assert_num_queries(BASE_QUERIES + 6):
        response = alice_client.get(url("research_overview", seeded))
    content = response.content.decode()
    assert content.index("Klantenenqu") < content.index("Interviews facilitair")
    assert "Quantitative" in content and "Qualitative" in content


def test_an_empty_overview_nudges_quantitative_first(org, alice_client):
    response = alice_client.get(url("research_overview", org))
    assert b"Start here: a short survey" in response.content
    assert b"Ask the first question" in response.content


def test_a_question_starter_fills_in_the_topic(org, alice_client):
    response = alice_client.post(
        url("question_create", org),
        {"topic": "een nieuwe bureaustoel", "starter": "pay", "text": ""},
    )
    assert response.status_code == 302
    question = ResearchQuestion.objects.get()
    assert question.text == "What would they pay to have een nieuwe bureaustoel solved?"


def test_a_starter_needs_a_topic(org, alice_client):
    response = alice_client.post(
        url("question_create", org), {"starter": "pay", "text": ""}
    )
    assert b"Name the topic" in response.content
    assert not ResearchQuestion.objects.exists()


def test_a_question_needs_text(org, alice_client):
    response = alice_client.post(url("question_create", org), {"text": ""})
    assert b"Write the question, or pick a starter." in response.content


def test_a_question_without_findings_cannot_be_answered(seeded, alice_client):
    question = seeded.research_questions.get(text__startswith="Welke leveranciers")
    alice_client.post(
        url("question_status", seeded, question.pk), {"status": "answered"}
    )
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_a_question_with_findings_can_be_answered(seeded, alice_client):
    question = seeded.research_questions.get(text__startswith="Hoe urgent")
    alice_client.post(
        url("question_status", seeded, question.pk), {"status": "answered"}
    )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


def test_a_study_gets_its_kind_from_the_method(org, alice_client):
    response = alice_client.post(
        url("study_create", org),
        {"title": "Exit-enquête", "method": "exit_intent", "kind": "qual"},
    )
    study = Study.objects.get()
    assert response.status_code == 302
    assert study.kind == "quant"


def test_a_study_of_another_kind_asks_which_kind(org, alice_client):
    response = alice_client.post(
        url("study_create", org), {"title": "Iets anders", "method": "other"}
    )
    assert b"quantitative or qualitative" in response.content
    assert not Study.objects.exists()


def test_a_study_cannot_end_before_it_starts(org, alice_client):
    response = alice_client.post(
        url("study_create", org),
        {
            "title": "Omgekeerd",
            "method": "interview",
            "started": "2025-05-01",
            "ended": "2025-04-01",
        },
    )
    assert b"The end date is before the start date." in response.content


def test_a_study_title_has_a_maximum_length(org, alice_client):
    response = alice_client.post(
        url("study_create", org), {"title": "x" * 10_000, "method": "interview"}
    )
    assert b"at most 150 characters" in response.content


def test_the_study_page_lists_findings(
    finding, alice_client, django_assert_num_queries
):
    org = finding.study.organisation
    warm(alice_client, org)
    # study, findings, their questions, citation counts (one query per citing
    # model: empathy entries, DMU members and map cards), the study's
    # questions, and the question choices of the add form (twice: "any?" and
    # the checkboxes)
    with django_assert_num_queries(BASE_QUERIES + 9):
        response = alice_client.get(url("study_detail", org, finding.study_id))
    assert b"Zoekvolume ergonomische werkplek" in response.content
    assert b"piekt in januari en september" in response.content
    assert b"not cited yet" in response.content


def test_it_adds_a_finding_that_answers_a_question(seeded, alice_client):
    study = seeded.studies.get(method="interview")
    question = seeded.research_questions.first()
    response = alice_client.post(
        url("finding_add", seeded, study.pk),
        {
            "statement": "Ze willen een proefperiode.",
            "source": "R2 en R5",
            "questions": [question.pk],
            "date": "2025-04-20",
        },
    )
    finding = study.findings.get(statement="Ze willen een proefperiode.")
    assert response.status_code == 302
    assert list(finding.questions.all()) == [question]


def test_a_finding_needs_a_statement(seeded, alice_client):
    study = seeded.studies.first()
    before = Finding.objects.count()
    response = alice_client.post(
        url("finding_add", seeded, study.pk), {"statement": "", "date": "2025-04-20"}
    )
    assert response.status_code == 422
    assert b"Write down what you found." in response.content
    assert Finding.objects.count() == before


def test_deleting_a_cited_finding_warns_about_the_citations(seeded, alice_client):
    finding = Finding.objects.get(statement__startswith="Levertijd is")
    page = alice_client.get(url("finding_delete", seeded, finding.pk))
    assert b"1 entry or role cites it" in page.content


def test_deleting_a_study_deletes_its_findings(seeded, alice_client):
    study = seeded.studies.get(method="interview")
    page = alice_client.get(url("study_delete", seeded, study.pk))
    alice_client.post(url("study_delete", seeded, study.pk))
    assert b"2 findings are deleted with it" in page.content
    assert b"3 citations of those findings go too" in page.content
    assert not Finding.objects.filter(study_id=study.pk).exists()


def test_the_study_page_shows_how_often_a_finding_is_cited(seeded, alice_client):
    study = seeded.studies.get(method="interview")
    response = alice_client.get(url("study_detail", seeded, study.pk))
    assert b"cited 2\xc3\x97" in response.content  # the stool-testing finding


def test_a_stale_question_edit_shows_both_texts_and_saves_nothing(seeded, alice_client):
    question = seeded.research_questions.first()
    ResearchQuestion.objects.filter(pk=question.pk).update(text="Dave's?", version=2)
    response = alice_client.post(
        url("question_detail", seeded, question.pk),
        {"text": "Alice's?", "version": 1},
    )
    question.refresh_from_db()
    assert response.status_code == 409
    assert (question.text, question.version) == ("Dave's?", 2)
    assert b"Dave&#x27;s?" in response.content
    assert b"Alice&#x27;s?" in response.content


def test_a_question_deleted_while_saving_says_so(seeded, alice_client, monkeypatch):
    question = seeded.research_questions.first()
    delete_after_lookup(monkeypatch, questions, "get_question")
    response = alice_client.post(
        url("question_detail", seeded, question.pk),
        {"text": "Nieuw?", "version": question.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("research_overview", seeded)
    assert b"Someone else deleted this while you were editing." in response.content


def test_a_stale_study_edit_shows_both_and_saves_nothing(seeded, alice_client):
    study = seeded.studies.get(method="interview")
    question = seeded.research_questions.exclude(studies=study).first()
    before = list(study.questions.all())
    Study.objects.filter(pk=study.pk).update(title="Dave's study", version=2)
    response = alice_client.post(
        url("study_edit", seeded, study.pk),
        {
            "title": "Alice's study",
            "method": "interview",
            "questions": [question.pk],
            "version": 1,
        },
    )
    study.refresh_from_db()
    assert response.status_code == 409
    assert (study.title, list(study.questions.all())) == ("Dave's study", before)
    assert b"Dave&#x27;s study" in response.content
    assert b"Alice&#x27;s study" in response.content


def test_a_stale_finding_edit_shows_both_and_saves_nothing(seeded, alice_client):
    finding = Finding.objects.filter(study__organisation=seeded).first()
    Finding.objects.filter(pk=finding.pk).update(statement="Dave's", version=2)
    response = alice_client.post(
        url("finding_edit", seeded, finding.pk),
        {"statement": "Alice's", "date": "2025-04-20", "version": 1},
    )
    finding.refresh_from_db()
    assert response.status_code == 409
    assert (finding.statement, finding.version) == ("Dave's", 2)
    assert b"Dave&#x27;s" in response.content
    assert b"Alice&#x27;s" in response.content
