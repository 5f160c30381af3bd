"""Storage: the only package that speaks SQL.

`engine` opens databases (SQLite or PostgreSQL) with the right settings, `migrate` runs and checks
Alembic migrations, and one module per aggregate (`outlets`, `feeds`, `articles`) reads and writes
rows as alaune's dataclasses. Nothing here fetches, parses or decides; it stores what it is given.
"""
