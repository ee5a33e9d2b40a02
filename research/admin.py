"""Admin for support staff; teams work in the app itself."""

from django.contrib import admin

from research.models import (
    DMU,
    DecisionCriterion,
    DMUMember,
    EmpathyEntry,
    Finding,
    Persona,
    ResearchQuestion,
    Study,
)


class CriterionInline(admin.TabularInline):
    model = DecisionCriterion
    extra = 0


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "job", "organisation", "market"]
    list_filter = ["organisation"]
    search_fields = ["name", "job"]
    inlines = [CriterionInline]


class DMUMemberInline(admin.TabularInline):
    model = DMUMember
    extra = 0
    raw_id_fields = ["persona", "findings"]


@admin.register(DMU)
class DMUAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "market"]
    list_filter = ["organisation"]
    inlines = [DMUMemberInline]


@admin.register(EmpathyEntry)
class EmpathyEntryAdmin(admin.ModelAdmin):
    list_display = ["text", "area", "persona"]
    list_filter = ["area"]
    raw_id_fields = ["persona", "findings"]


@admin.register(ResearchQuestion)
class ResearchQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "status", "organisation"]
    list_filter = ["status", "organisation"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "method", "kind", "organisation"]
    list_filter = ["kind", "organisation"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["statement", "study", "date"]
    raw_id_fields = ["study"]
