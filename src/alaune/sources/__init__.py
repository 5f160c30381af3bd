"""The outlet registry: outlets as data, read from TOML, checked, and exchanged as OPML.

Modules: `schema` (the entry format and its check), `registry` (loading the shipped
`registry/*.toml` and extra files), `urls` (which URLs an entry may name), `categories`
(`categories.toml`), `entries` (writing TOML entries), `opml` and `opml_write` (import, export)
and `discover` (finding a site's feeds in bytes someone else fetched). Nothing here opens a
socket or a database connection, and nothing imports alaune.fetch: the CLI fetches and hands
the bytes over.
"""

from alaune.sources.categories import Category, category_slugs, load_categories
from alaune.sources.registry import RegistryCheck, check_registry, load_registry
from alaune.sources.schema import FIELDS, Problem, RegistryError
from alaune.sources.urls import UrlRefused, check_url

__all__ = [
    "FIELDS",
    "Category",
    "Problem",
    "RegistryCheck",
    "RegistryError",
    "UrlRefused",
    "category_slugs",
    "check_registry",
    "check_url",
    "load_categories",
    "load_registry",
]
