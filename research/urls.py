"""Research workspace URLs, mounted at /o/<org_slug>/research/."""

from django.urls import path

from research import dmus, empathy, overview, personas, questions, studies

urlpatterns = [
    path("", overview.research_overview, name="research_overview"),
    # Personas and their empathy maps
    path("personas/", personas.persona_list, name="persona_list"),
    path("personas/new/", personas.persona_create, name="persona_create"),
    path("personas/<uuid:persona_id>/", personas.persona_detail, name="persona_detail"),
    path(
        "personas/<uuid:persona_id>/edit/", personas.persona_edit, name="persona_edit"
    ),
    path(
        "personas/<uuid:persona_id>/delete/",
        personas.persona_delete,
        name="persona_delete",
    ),
    path(
        "personas/<uuid:persona_id>/share/",
        personas.persona_share,
        name="persona_share",
    ),
    path(
        "personas/<uuid:persona_id>/criteria/add/",
        personas.criterion_add,
        name="criterion_add",
    ),
    path(
        "criteria/<uuid:criterion_id>/weight/",
        personas.criterion_weight,
        name="criterion_weight",
    ),
    path(
        "criteria/<uuid:criterion_id>/delete/",
        personas.criterion_delete,
        name="criterion_delete",
    ),
    path(
        "personas/<uuid:persona_id>/entries/add/", empathy.entry_add, name="entry_add"
    ),
    path(
        "personas/<uuid:persona_id>/entries/reorder/",
        empathy.entry_reorder,
        name="entry_reorder",
    ),
    path("entries/<uuid:entry_id>/", empathy.entry_card, name="entry_card"),
    path("entries/<uuid:entry_id>/edit/", empathy.entry_edit, name="entry_edit"),
    path("entries/<uuid:entry_id>/move/", empathy.entry_move, name="entry_move"),
    path("entries/<uuid:entry_id>/delete/", empathy.entry_delete, name="entry_delete"),
    path(
        "entries/<uuid:entry_id>/evidence/",
        empathy.entry_evidence,
        name="entry_evidence",
    ),
    # Decision-Making Units
    path("dmus/", dmus.dmu_list, name="dmu_list"),
    path("dmus/new/", dmus.dmu_create, name="dmu_create"),
    path("dmus/<uuid:dmu_id>/", dmus.dmu_detail, name="dmu_detail"),
    path("dmus/<uuid:dmu_id>/edit/", dmus.dmu_edit, name="dmu_edit"),
    path("dmus/<uuid:dmu_id>/delete/", dmus.dmu_delete, name="dmu_delete"),
    path("dmus/<uuid:dmu_id>/share/", dmus.dmu_share, name="dmu_share"),
    path(
        "dmus/<uuid:dmu_id>/members/add/",
        dmus.dmu_member_add,
        name="dmu_member_add",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/",
        dmus.dmu_member_card,
        name="dmu_member_card",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/edit/",
        dmus.dmu_member_edit,
        name="dmu_member_edit",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/delete/",
        dmus.dmu_member_delete,
        name="dmu_member_delete",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/evidence/",
        dmus.dmu_member_evidence,
        name="dmu_member_evidence",
    ),
    # Research questions, studies and findings
    path("questions/new/", questions.question_create, name="question_create"),
    path(
        "questions/<uuid:question_id>/",
        questions.question_detail,
        name="question_detail",
    ),
    path(
        "questions/<uuid:question_id>/status/",
        questions.question_status,
        name="question_status",
    ),
    path(
        "questions/<uuid:question_id>/delete/",
        questions.question_delete,
        name="question_delete",
    ),
    path("studies/new/", studies.study_create, name="study_create"),
    path("studies/<uuid:study_id>/", studies.study_detail, name="study_detail"),
    path("studies/<uuid:study_id>/edit/", studies.study_edit, name="study_edit"),
    path("studies/<uuid:study_id>/delete/", studies.study_delete, name="study_delete"),
    path(
        "studies/<uuid:study_id>/findings/add/",
        studies.finding_add,
        name="finding_add",
    ),
    path("findings/<uuid:finding_id>/edit/", studies.finding_edit, name="finding_edit"),
    path(
        "findings/<uuid:finding_id>/delete/",
        studies.finding_delete,
        name="finding_delete",
    ),
]
