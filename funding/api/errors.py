"""Funding endpoints answer refusals of the funding services with the portal's one mapping
(accounts.api.refusals): FundingError is a DomainError, StaleEditError a stale edit."""

from accounts.api.refusals import DomainApiViewMixin as FundingApiViewMixin
from accounts.api.refusals import refusal

__all__ = ["FundingApiViewMixin", "refusal"]
