"""Extraction: an article page's bytes in, its text and metadata out. Pure: no fetching, no storing.

`extract` reads one page into an `Extraction` (blocks, sanitized HTML, plain text, metadata);
`extract_article` gives the pipeline's `Extracted`. `templates` learns and removes each outlet's
recurring furniture; `dates.reconcile` decides which publication time to trust; `scoring`
measures an extraction against a gold text (tests and benchmarks only).
"""

from alaune.extract.article import extract, extract_article
from alaune.extract.dates import DateEvidence, TrustedDate, reconcile
from alaune.extract.result import Extraction
from alaune.extract.templates import Template, TemplatePolicy, apply, learn, new_template

__all__ = [
    "DateEvidence",
    "Extraction",
    "Template",
    "TemplatePolicy",
    "TrustedDate",
    "apply",
    "extract",
    "extract_article",
    "learn",
    "new_template",
    "reconcile",
]
