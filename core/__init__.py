"""Shared building blocks with no domain knowledge: GOV.UK form helpers and template tags, and
the base classes of the errors services raise. Every app may import it; it imports no app."""
