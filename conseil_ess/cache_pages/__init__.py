"""Cache of the anonymous public pages (Django's cache framework: Redis in production, local memory elsewhere).

``generation.py`` keeps one global number in the cache, raised by every write to the database (any INSERT,
UPDATE, DELETE, TRUNCATE or rolled-back savepoint through Django's connections, so saves, deletes,
many-to-many changes, ``QuerySet.update``, ``bulk_create`` and Wagtail's publish/unpublish alike) once the
transaction commits; and a time window, per generation, that closes when the next event starts or ends
or at midnight (Paris), whichever comes first. ``middleware.py`` keys each page by that generation.
"""
