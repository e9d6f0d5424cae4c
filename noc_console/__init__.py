"""NOC Console: a desktop console for network operations centres."""

__version__ = "0.1.0"
