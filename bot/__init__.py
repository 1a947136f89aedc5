"""Preceptor's core: use cases, matching, check-ins, the PHI guard and the application around them."""
