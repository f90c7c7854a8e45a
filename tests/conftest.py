"""Shared test setup: draw off-screen, so widget and plotting tests need no display; property
tests draw the same examples on every run (a class must not see a test fail by chance).

Explore new examples locally with ``--hypothesis-profile=explore``.
"""

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")
