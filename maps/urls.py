"""
Journey map URLs, mounted at /o/<org_slug>/maps/. Each part of the canvas keeps
its own views and URL list (maps.structure, maps.cards, maps.emotions,
maps.actions, maps.history, maps.pdf, maps.transfer, maps.exports); this
file joins them.
"""

from django.urls import path

from maps import (
    actions,
    cards,
    emotions,
    exports,
    history,
    pdf,
    structure,
    transfer,
    views,
)

urlpatterns = [
    path("", views.map_list, name="map_list"),
    path("new/", views.map_create, name="map_create"),
    path("<uuid:map_id>/", views.map_detail, name="map_detail"),
    path("<uuid:map_id>/duplicate/", views.map_duplicate_view, name="map_duplicate"),
    path("<uuid:map_id>/archive/", views.map_archive, name="map_archive"),
    path("<uuid:map_id>/restore/", views.map_restore, name="map_restore"),
    path("<uuid:map_id>/delete/", views.map_delete, name="map_delete"),
    *structure.urlpatterns,
    *cards.urlpatterns,
    *emotions.urlpatterns,
    *actions.urlpatterns,
    *history.urlpatterns,
    *pdf.urlpatterns,
    *transfer.urlpatterns,
    *exports.urlpatterns,
]
