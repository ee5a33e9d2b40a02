"""Journey maps and everything on the canvas (filled in by the canvas issue)."""
