"""Pure text helpers shared by every stage: URLs, normalization, language."""
