"""The reader's site: server-rendered pages over what the store holds.

The web process never fetches (an import-linter contract forbids `alaune.fetch`): it serves what
the worker stored. `app.create_app` builds the Starlette application; `routes` is the one route
table; `pages/` has one short module per page family.
"""
