"""IATI in and out: projects as IATI activity XML 2.03, and IATI activity files read back into the registry.

``export`` writes; ``reader`` checks and reads an uploaded file (safely, against
the vendored schema); ``imports`` plans what a file would create, change or
skip, and applies that plan in one transaction through ``services.project_save``.
"""
