"""Privacy: the PHI guard that keeps patient identifiers out of everything Preceptor stores or posts."""
