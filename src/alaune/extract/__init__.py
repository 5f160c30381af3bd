"""Extraction: an article page's bytes in, an `Extracted` out. Pure: no fetching, no storing."""

from alaune.extract.article import extract_article

__all__ = ["extract_article"]
