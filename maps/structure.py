"""
The canvas's frame: stages (columns) and lanes (rows), and the map's own
settings. Add, insert, rename, describe, reorder (drag and keyboard), hide and
delete; every write is version-checked and recorded (maps.models.record).
"""

urlpatterns: list = []
