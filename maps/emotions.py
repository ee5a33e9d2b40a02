"""
The emotion lane: each persona's score per stage on a five-step scale, and the
curve drawn from them as server-rendered SVG (the PDF export reuses it).
"""

urlpatterns: list = []
