"""DMUs, personas, empathy maps and research (filled in by the research issue)."""
