"""Simulated members of the group for bench/load.py (locust, headless).

Each simulated member signs in once, then reads: dashboard, directory,
meetings, a meeting, the library, a search, a document download. The
addresses, password and ids come from the JSON file in BENCH_LOAD_PLAN,
written by bench/load.py. Requests are grouped by page name in the figures.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member(HttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        email = PLAN["emails"].pop() if PLAN["emails"] else random.choice(PLAN["all_emails"])
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/", name="sign in",
            data={"csrfmiddlewaretoken": token, "login": email, "password": PLAN["password"]},
            headers={"Referer": self.host + "/accounts/login/"}, allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def _get(self, path, name, **kwargs):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    @task(3)
    def dashboard(self):
        self._get("/", "dashboard")

    @task(2)
    def directory(self):
        self._get("/members/", "directory")

    @task(2)
    def meetings(self):
        self._get("/meetings/", "meetings")

    @task(2)
    def meeting(self):
        self._get(f"/meetings/{random.choice(PLAN['meetings'])}/", "a meeting")

    @task(2)
    def library(self):
        self._get("/briefings/documents/", "library")

    @task(2)
    def search(self):
        self._get("/briefings/search/", "search", params={"q": random.choice(PLAN["queries"])})

    @task(1)
    def download(self):
        with self.client.get(f"/briefings/documents/{random.choice(PLAN['downloads'])}/download/",
                             name="a download", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200 or not response.content:
                response.failure(f"download answered {response.status_code}")
