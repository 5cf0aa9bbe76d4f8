"""Every write of the briefings app, by sub-domain: ``documents`` (uploads, edits,
downloads logged), ``indexing`` (text extraction and search vectors),
``briefings`` and ``circulations``.

Search vectors are refreshed here (never by signals) whenever what they are
made of changes: a document's metadata or text, or a briefing it belongs to.
"""
