"""
Cards in the cells of the canvas: add, edit inline, delete, reorder within a
cell and move to another cell (drag and keyboard); touchpoint fields, impact,
and the findings a card cites.
"""

urlpatterns: list = []
