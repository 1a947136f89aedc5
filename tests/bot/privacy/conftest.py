import pytest

from bot.privacy.guard import Guard


@pytest.fixture(scope="session", autouse=True)
def gazetteers_loaded():
    """Read the word lists once, before any test is timed (the first read takes most of a second)."""
    Guard().warm()


@pytest.fixture(scope="session")
def kinds():
    """The kinds the guard finds in a text, this year being 2026."""
    guard = Guard()
    return lambda text: [f.kind for f in guard.findings(text, year=2026)]
