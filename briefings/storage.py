"""How a browser gets a document's bytes when they live in object storage.

With a local media folder the web process streams the file (or hands it to
nginx). With S3-compatible storage the download view answers with a redirect
to a signed address that is valid for ``DOWNLOAD_URL_EXPIRE_SECONDS``: the
permission check and the download log stay in the portal, while the bytes go
from the bucket to the browser without holding a web worker for the length of
a 200 MB transfer, and no node needs the file on its disk.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.http import content_disposition_header


def signed_download_url(*, name: str, original_name: str, content_type: str) -> str | None:
    """A short-lived address of the file on the object storage, or None when media are a local folder."""
    if not hasattr(default_storage, "bucket_name"):
        return None
    return default_storage.url(
        name,
        parameters={
            # The bucket then answers with the same headers the portal would send.
            "ResponseContentDisposition": content_disposition_header(True, original_name),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
        expire=settings.DOWNLOAD_URL_EXPIRE_SECONDS,
    )
