"""Fixtures of the audit tests: the named cast (accounts.testing) acts."""

from liangji.accounts.testing import cast

__all__ = ["cast"]
