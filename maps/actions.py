"""
Follow-up actions on a map (the actions lane) and the organisation-wide actions
board (`board_urlpatterns`, mounted at /o/<org_slug>/actions/).
"""

urlpatterns: list = []
board_urlpatterns: list = []
