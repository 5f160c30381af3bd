"""Image-report policy, pure: who counts as a reporter, from which network, and what a count
means (count, hide, or send to review). No I/O: the web composes this with `alaune.store`.

SECURITY.md "The report button" is the specification; docs/moderation.md explains the choices.
"""
