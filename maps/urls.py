"""
Journey map URLs, mounted at /o/<org_slug>/maps/. Each feature folder keeps its
own views and URL list (maps/canvas/: stages, lanes, cards, emotions; maps/actions/;
maps/files/: PDF, JSON, CSV; maps.history); this file joins them.
"""

from django.urls import path

from maps import history, live, views
from maps.actions import views as actions
from maps.canvas import cards, emotions, evidence, structure
from maps.files import csv_views, json_views, pdf

urlpatterns = [
    path("", views.map_list, name="map_list"),
    path("new/", views.map_create, name="map_create"),
    path("<uuid:map_id>/", views.map_detail, name="map_detail"),
    path("<uuid:map_id>/duplicate/", views.map_duplicate_view, name="map_duplicate"),
    path("<uuid:map_id>/archive/", views.map_archive, name="map_archive"),
    path("<uuid:map_id>/restore/", views.map_restore, name="map_restore"),
    path("<uuid:map_id>/delete/", views.map_delete, name="map_delete"),
    path("<uuid:map_id>/settings/", views.map_settings, name="map_settings"),
    *structure.urlpatterns,
    *cards.urlpatterns,
    *emotions.urlpatterns,
    *evidence.urlpatterns,
    *actions.urlpatterns,
    *history.urlpatterns,
    *live.urlpatterns,
    *pdf.urlpatterns,
    *json_views.urlpatterns,
    *csv_views.urlpatterns,
]
