"""Research workspace URLs, mounted at /o/<org_slug>/research/."""

from django.urls import path

from research import empathy as views

urlpatterns = [
    path("", views.research_overview, name="research_overview"),
    # Personas and their empathy maps
    path("personas/", views.persona_list, name="persona_list"),
    path("personas/new/", views.persona_create, name="persona_create"),
    path("personas/<uuid:persona_id>/", views.persona_detail, name="persona_detail"),
    path("personas/<uuid:persona_id>/edit/", views.persona_edit, name="persona_edit"),
    path(
        "personas/<uuid:persona_id>/delete/",
        views.persona_delete,
        name="persona_delete",
    ),
    path(
        "personas/<uuid:persona_id>/share/", views.persona_share, name="persona_share"
    ),
    path(
        "personas/<uuid:persona_id>/criteria/add/",
        views.criterion_add,
        name="criterion_add",
    ),
    path(
        "criteria/<uuid:criterion_id>/weight/",
        views.criterion_weight,
        name="criterion_weight",
    ),
    path(
        "criteria/<uuid:criterion_id>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("personas/<uuid:persona_id>/entries/add/", views.entry_add, name="entry_add"),
    path(
        "personas/<uuid:persona_id>/entries/reorder/",
        views.entry_reorder,
        name="entry_reorder",
    ),
    path("entries/<uuid:entry_id>/", views.entry_card, name="entry_card"),
    path("entries/<uuid:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<uuid:entry_id>/move/", views.entry_move, name="entry_move"),
    path("entries/<uuid:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path(
        "entries/<uuid:entry_id>/evidence/",
        views.entry_evidence,
        name="entry_evidence",
    ),
    # Decision-Making Units
    path("dmus/", views.dmu_list, name="dmu_list"),
    path("dmus/new/", views.dmu_create, name="dmu_create"),
    path("dmus/<uuid:dmu_id>/", views.dmu_detail, name="dmu_detail"),
    path("dmus/<uuid:dmu_id>/edit/", views.dmu_edit, name="dmu_edit"),
    path("dmus/<uuid:dmu_id>/delete/", views.dmu_delete, name="dmu_delete"),
    path("dmus/<uuid:dmu_id>/share/", views.dmu_share, name="dmu_share"),
    path(
        "dmus/<uuid:dmu_id>/members/add/",
        views.dmu_member_add,
        name="dmu_member_add",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/",
        views.dmu_member_card,
        name="dmu_member_card",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/edit/",
        views.dmu_member_edit,
        name="dmu_member_edit",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/delete/",
        views.dmu_member_delete,
        name="dmu_member_delete",
    ),
    path(
        "dmu-members/<uuid:dmu_member_id>/evidence/",
        views.dmu_member_evidence,
        name="dmu_member_evidence",
    ),
    # Research questions, studies and findings
    path("questions/new/", views.question_create, name="question_create"),
    path(
        "questions/<uuid:question_id>/", views.question_detail, name="question_detail"
    ),
    path(
        "questions/<uuid:question_id>/status/",
        views.question_status,
        name="question_status",
    ),
    path(
        "questions/<uuid:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("studies/new/", views.study_create, name="study_create"),
    path("studies/<uuid:study_id>/", views.study_detail, name="study_detail"),
    path("studies/<uuid:study_id>/edit/", views.study_edit, name="study_edit"),
    path("studies/<uuid:study_id>/delete/", views.study_delete, name="study_delete"),
    path(
        "studies/<uuid:study_id>/findings/add/",
        views.finding_add,
        name="finding_add",
    ),
    path("findings/<uuid:finding_id>/edit/", views.finding_edit, name="finding_edit"),
    path(
        "findings/<uuid:finding_id>/delete/",
        views.finding_delete,
        name="finding_delete",
    ),
]
