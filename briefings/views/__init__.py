"""Pages of the briefings app, by sub-domain: ``documents`` (the library, files and
their downloads), ``search``, ``briefings`` and ``circulations``.

Every view asks ``members.permissions``: an object the user may not know exists
answers 404 (``get_visible_or_404``), so that ids reveal nothing; a page meant
for another role answers ``permissions.deny``.
"""
