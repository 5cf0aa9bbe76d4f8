"""Limits on what a zip archive (Office and OpenDocument files are zips) may unpack to.

A small archive can declare entries of gigabytes (a "zip bomb"). Python's
``zipfile`` stops decompressing an entry at its declared size, so checking the
declared sizes before anything is unpacked bounds the memory and time that
sniffing and text extraction can spend: the total, each entry's compression
ratio, and the number of entries.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MAX_ENTRIES = 10_000
# Text and XML compress 10 to 30 times; beyond this an entry is built to explode.
MAX_RATIO = 200
# Entries smaller than this are never a danger, whatever their ratio (a stored
# "mimetype" entry, a block of repeated spaces).
RATIO_FLOOR = 1024 * 1024


class ArchiveRefused(ValueError):
    """The archive would unpack to too much; ``str()`` says why, for the uploader."""


def max_unpacked_bytes() -> int:
    return settings.DOCUMENT_MAX_UNPACKED_MB * 1024 * 1024


def check_archive(archive: zipfile.ZipFile) -> None:
    """Raise ``ArchiveRefused`` unless every declared size is within the limits."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(f"it holds more than {MAX_ENTRIES:,} files")
    limit = max_unpacked_bytes()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limit:
            raise ArchiveRefused(f"it unpacks to more than {filesizeformat(limit)}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused("one of its parts is compressed far beyond what a real document is")


def read_head(archive: zipfile.ZipFile, name: str, length: int) -> bytes:
    """The first ``length`` bytes of one entry, never unpacking the rest."""
    with archive.open(name) as entry:
        return entry.read(length)
