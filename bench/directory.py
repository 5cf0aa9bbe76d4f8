"""Directory and dashboard under gunicorn: requests per second, p95 latency and
queries per page, with the demo group plus N more organizations.

    .venv/bin/python bench/directory.py [--orgs 2000] [--requests 400]

Needs PostgreSQL on 127.0.0.1 (BENCH_PG to change); uses database wg_bench_directory.
"""

import argparse

from _common import gunicorn, load, queries_for, session_cookie, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    url = setup_django("wg_bench_directory")

    from django.core.management import call_command

    from members.models import Organization, User

    call_command("seed_demo", "--password", "bench-pass-2007", verbosity=0)
    missing = args.orgs - Organization.objects.filter(name__startswith="Bench organization").count()
    if missing > 0:
        start = Organization.objects.count()
        orgs = Organization.objects.bulk_create(
            [Organization(name=f"Bench organization {start + i:05d}", kind="ngo", status="active")
             for i in range(missing)]
        )
        User.objects.bulk_create(
            [User(email=f"bench{o.pk}@bench.example", full_name=f"Person {o.pk}", organization=o) for o in orgs]
        )
    member = User.objects.get(email="member@germany.example")
    cookie = session_cookie(member)
    pages = ["/", "/members/", "/members/?q=embassy&kind=mission", "/members/?page=40",
             f"/members/organizations/{Organization.objects.get(acronym='UNICEF').pk}/"]
    print(f"{Organization.objects.count()} organizations, {User.objects.count()} people")
    print(f"{'page':45} {'queries':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    with gunicorn(url, workers=2) as base:
        for path in pages:
            figures = load(base + path, cookie, requests=args.requests)
            print(f"{path:45} {queries_for(path, member):7d} {figures['rps']:8.1f} "
                  f"{figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} {figures['errors']:6d}")


if __name__ == "__main__":
    main()
