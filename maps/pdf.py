"""The PDF canvas (WeasyPrint). Filled in by the PDF work."""

urlpatterns = []
