"""tarjim (ترجم): Arabic news into English, offline, with a short brief."""

__version__ = "0.1.0"
