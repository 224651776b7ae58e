"""Settings of the portal as bench/brand_voting.py serves it under gunicorn: the project's, with
the bench's URLs (bench.voting_urls: the portal plus the floor view) and per-IP vote limits
raised, since every bench client comes from 127.0.0.1 (they are still checked)."""

from cppcc_portal.settings import *  # noqa: F403 - the portal's settings, then the bench's
from cppcc_portal.settings import BRAND_VOTE_RATES

ROOT_URLCONF = "bench.voting_urls"
BRAND_VOTE_RATES = {**BRAND_VOTE_RATES, "burst": "1000000/10s", "sustained": "10000000/h"}
