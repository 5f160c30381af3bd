"""The admin area (`/admin`, also under `/ar` and `/en`): login, the moderation queue, articles,
outlets and the audit log. Every page needs a server-side session; every state-changing request
passes `session.AdminGuard` (same origin and a session) and the handler's CSRF check. Nothing here
fetches: work that needs the network is queued for the crawler (store.jobs)."""
