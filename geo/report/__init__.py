"""Print-ready report images of one view (matplotlib, Agg, no browser)."""
