"""CSV downloads: the actions board and a map's touchpoints (to be filled in)."""

urlpatterns = []
board_urlpatterns = []
