"""The errors tarjim raises, each with the exit code the CLI turns it into."""

from __future__ import annotations


class TarjimError(Exception):
    """A problem a user can act on: one line of text and an exit code."""

    exit_code = 1


class InputError(TarjimError):
    """Missing, empty, binary or undecodable input."""

    exit_code = 1


class UsageError(TarjimError):
    """Options that do not fit together."""

    exit_code = 2


class ModelError(TarjimError):
    """A model that is unknown, not cached while offline, or corrupt."""

    exit_code = 3


class BatchError(TarjimError):
    """Some files of a batch failed (the rest were written)."""

    exit_code = 4
