"""alaune: a self-hosted news aggregator for French, Arabic and English news."""

__version__ = "0.1.0"
