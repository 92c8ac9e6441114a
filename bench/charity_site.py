"""Settings of the charity benchmark: the project's settings with the benchmark's URLconf
(bench/charity_urls.py, which adds one bare Django view). Used only by bench/charity.py."""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "charity_urls"
DEBUG = False
