"""SQL statements per operation, counted on the engine, so that a regression shows up as a
number: with 30 mentors offering the aspect, what `/learn`, a refused repeat and
`/mentor status` cost (BEGIN not counted; SQLite issues its own)."""

import pytest
from sqlalchemy import event

MENTOR = "role=attending; specialty=Internal Medicine; site=Main campus; started=2010"
BUDGET = [  # (what, command, statements at most); lower a budget when its operation gets cheaper
    ("status", "/mentor status", 8),
    ("learn", "/learn POCUS: nights", 16),  # resolve, record, announce, rank 30 candidates, suggest 3
    ("learn refused", "/learn POCUS", 5),   # already asked
    ("status with suggestions", "/mentor status", 19),  # the open request's fresh suggestions
]


@pytest.fixture
async def counted(world):
    await world.person("priya", "role=resident; specialty=Internal Medicine; site=Main campus; started=2024")
    for i in range(30):
        await world.person(f"m{i}", MENTOR, offers="POCUS")
    await world.tick()
    await world.cmd("priya", "/mentor status")  # the first turn of a person creates them
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(world.app.db.engine.sync_engine, "before_cursor_execute", seen)
    yield world, statements
    event.remove(world.app.db.engine.sync_engine, "before_cursor_execute", seen)


async def test_statements_per_operation_stay_within_budget(counted):
    world, statements = counted
    used = {}
    for what, command, _ in BUDGET:
        statements.clear()
        await world.cmd("priya", command)
        used[what] = len(statements)
    assert all(used[what] <= most for what, _, most in BUDGET), used
    assert used["learn"] >= 10, used  # the counter counts
