"""Wording shared by every message: counts with their noun, the other side of a pair."""


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 mentee', '3 mentees', '2 people' (with `many` for irregular plurals)."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"
