"""
A map's history: the Activity stream (who changed what, before → after),
filterable by person and "since" a moment.
"""

urlpatterns: list = []
