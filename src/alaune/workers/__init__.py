"""Running the crawl: the embedded loop (one process) now; Celery tasks for scale-out later."""
