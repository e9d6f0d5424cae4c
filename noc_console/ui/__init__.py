"""PySide6 windows, models and workers: the only package that imports Qt."""
