"""One confirmation pattern: the Bootstrap modal of includes/confirm_modal.html, filled by
static/js/confirm.js; no window.confirm and no bare data-confirm left anywhere."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def _files(folder: str, pattern: str):
    return [p for p in (ROOT / folder).rglob(pattern) if "vendor" not in p.parts]


def test_no_template_or_script_asks_with_window_confirm():
    offenders = [str(p.relative_to(ROOT)) for p in _files("templates", "*.html") + _files("static/js", "*.js")
                 if re.search(r"data-confirm=|window\.confirm\s*\(|\bconfirm\s*\(", p.read_text())]
    assert offenders == []


def test_every_modal_trigger_says_the_consequence():
    for path in _files("templates", "*.html"):
        for tag in re.findall(r"<button[^>]*data-confirm-modal[^>]*>", path.read_text()):
            assert re.search(r'data-confirm-modal="[^"]{10,}"', tag), (path.name, tag)
            assert "data-confirm-label=" in tag, (path.name, tag)


@pytest.mark.django_db
def test_every_page_carries_the_modal_and_its_script(client, member):
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="confirm-modal"' in page and "/static/js/confirm.js" in page
    assert "<script>" not in page  # the CSP forbids inline scripts
