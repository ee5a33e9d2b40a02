"""
Imported once by the PDF renderer's fork server (maps.files.pdf_render): WeasyPrint,
the type family and a first small render happen there, so every render's child
starts warm (a first render in a fresh process costs most of a second more).
"""

from maps.files import pdf_render

pdf_render.fonts()
pdf_render.warm_up()
