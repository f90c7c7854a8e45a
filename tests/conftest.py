"""Shared test setup: draw off-screen, so widget and plotting tests need no display."""

import matplotlib

matplotlib.use("Agg")
