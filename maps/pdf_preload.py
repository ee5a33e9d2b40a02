"""
Imported once by the PDF renderer's fork server (maps.pdf_render): WeasyPrint
and the type family are loaded there, so every render's child starts with them.
"""

from maps import pdf_render

pdf_render.fonts()
