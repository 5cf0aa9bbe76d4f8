"""Reads shared by the briefings pages, the panels and the services, by sub-domain:
``documents`` (the library), ``search``, ``briefings`` and ``circulations``.

Every list starts from ``members.permissions.visible_to``: a co-chairs-only
document never reaches someone who may not see it. Selectors return data only;
what other apps' pages show is built in ``briefings.panels``.
"""
