"""Admin authentication, pure: password hashing (argon2id), random and signed tokens, the
same-origin check and safe redirects. No I/O: sessions and users are kept by `alaune.store.admins`
and composed by the web's admin area.
"""
