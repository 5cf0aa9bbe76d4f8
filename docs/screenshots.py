"""Screenshots of each role's dashboard at desktop and phone widths, for the README.

Run against a portal serving the demo data (``make run``, or any ``runserver``
after ``manage.py seed_demo --password ...``):

    .venv/bin/python docs/screenshots.py [--url http://127.0.0.1:8000] [--password wgportal-demo-2007]

It drives Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``) with
Playwright and writes ``docs/screenshots/<role>-<width>.png``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
ROLES = {
    "cochair": "cochair@unicef.example",
    "secretariat": "secretariat@wgportal.example",
    "member": "member@germany.example",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "wgportal-demo-2007"))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=["--no-sandbox"])
        for role, email in ROLES.items():
            for name, (width, height) in WIDTHS.items():
                context = browser.new_context(base_url=args.url, viewport={"width": width, "height": height},
                                              device_scale_factor=1)
                page = context.new_page()
                page.goto("/accounts/login/")
                page.get_by_label("Email").fill(email)
                page.get_by_label("Password").fill(args.password)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                page.goto("/")
                page.wait_for_load_state("networkidle")
                # Charts animate in: wait for them to settle before the picture.
                page.wait_for_timeout(1200)
                path = OUT / f"{role}-{name}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(OUT.parent.parent))
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
