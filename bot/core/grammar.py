"""The command grammar of PRODUCT.md, parsed into plain values.

Slack sends `/learn` and `/mentor` with their text; Teams and the console send typed words,
with or without the `/` and the word `mentor`. All of them end up here.
"""

import re
from dataclasses import dataclass, field

from bot.core.domain import MAX_CAPACITY
from bot.core.errors import BadCommand
from bot.privacy.guard import Guard

HELP = """*Preceptor* finds you a mentor for one aspect at a time, and checks in until you wrap up.
• `/learn <aspect>[: <details>]` — announce what you want to learn (add `--private` to skip the public post)
• `/learn --another-perspective <aspect>` — a second mentor on an aspect you already have one for
• `/learn cancel [<aspect>]` — withdraw a request you no longer need
• `/mentor profile` — your role, specialty, site, career start, capacity and quiet hours
  (`/mentor profile clear-inferred` forgets what I inferred from your conversations)
• `/mentor offer <aspect>[, <aspect>…]` — say what you can mentor
• `/mentor status` — your requests, mentorships and pending asks
• `/mentor pause [<weeks>]` · `/mentor resume` — stop or restart asks and check-ins for you
• `/mentor capacity <n>` — how many mentees you take at once
• `/mentor wrap-up [@person] [aspect]` — end a mentorship whenever it has done its job
• `/mentor thanks @someone <message>` — thank a mentor (`--private`: not quoted in their impact)
• `/mentor impact` — what your mentoring has done
• `/mentor export` · `/mentor forget-me` — all your data / none of it
Leads: `/mentor admin report [program]` (the program report), `/mentor admin channel here`,
`/mentor admin programs` and `/mentor admin program <name>: members=…; announce=…; required=yes`.
At a check-in you can also type `met`, `not yet`, `pause` or `wrap up`;
after a wrap-up, `reflect <one line>`; after answering how a mentorship is going,
`feedback <one line>`."""

REPLIES = {
    "met": "met", "we met": "met", "not yet": "not_yet", "notyet": "not_yet",
    "pause": "pause", "wrap up": "wrap_up", "wrapup": "wrap_up", "wrap-up": "wrap_up",
}

PROFILE_KEYS = {
    "role": "role", "specialty": "specialty", "department": "department", "dept": "department",
    "site": "site", "started": "career_start_year", "career start": "career_start_year",
    "career_start_year": "career_start_year", "year started": "career_start_year",
    "capacity": "capacity", "quiet": "quiet_hours", "quiet hours": "quiet_hours",
    "name": "name", "tz": "tz", "time zone": "tz", "timezone": "tz", "digest": "digest",
}


@dataclass(frozen=True)
class Command:
    name: str
    text: str = ""
    private: bool = False
    another_perspective: bool = False
    items: tuple[str, ...] = ()
    number: int | None = None
    fields: dict[str, str] = field(default_factory=dict)


def parse(raw: str) -> Command:
    """Turn what someone typed into a `Command`, or raise `BadCommand` with a way forward."""
    words = " ".join(raw.split())
    if words.startswith("/"):
        words = words[1:]
    head, _, rest = words.partition(" ")
    head = head.lower()
    if head == "mentor":
        head, _, rest = rest.partition(" ")
        head = head.lower()
    if head in ("", "help", "?"):
        return Command("help")
    if head == "learn" and rest.lower().split(" ")[0] == "cancel":
        return Command("learn_cancel", text=rest[6:].strip())
    if head == "learn":
        return _learn(rest)
    phrase = words.lower().rstrip(".!")
    if phrase in REPLIES and not (phrase == "pause" and raw.strip().startswith("/")):
        return Command("reply", text=REPLIES[phrase])
    if head == "wrap" and rest.lower().split(" ")[0] == "up":  # "wrap up …" is "wrap-up …"
        head, rest = "wrap-up", rest[2:]
    handler = _SIMPLE.get(head)
    if handler is None:
        shown = f" `{head[:40]}`" if not Guard().findings(head) else " that"
        raise BadCommand(f"I don't know{shown}. Type `help` to see what I can do.")
    return handler(rest.strip())


def _learn(rest: str) -> Command:
    private = another = False
    tokens = rest.split(" ")
    while tokens and tokens[0].startswith("--"):
        flag = tokens.pop(0).lower()
        if flag == "--private":
            private = True
        elif flag in ("--another-perspective", "--another"):
            another = True
        else:
            raise BadCommand(f"Unknown option `{flag[:40]}`: use `--private` or `--another-perspective`.")
    aspect, _, details = " ".join(tokens).partition(":")
    if not aspect.strip():
        raise BadCommand("Tell me what you want to learn, e.g. `/learn POCUS: FAST exams on nights`.")
    return Command(
        "learn", text=details.strip(), items=(aspect.strip(),), private=private,
        another_perspective=another,
    )


def _offer(rest: str) -> Command:
    items = tuple(a.strip() for a in re.split(r"[,;]", rest) if a.strip())
    if not items:
        raise BadCommand("Say what you can mentor, e.g. `/mentor offer POCUS, central lines`.")
    return Command("offer", items=items)


def _number(name: str, low: int, high: int, usage: str, optional: bool = False):
    def parse_number(rest: str) -> Command:
        if not rest and optional:
            return Command(name)
        if not re.fullmatch(r"\d{1,3}", rest) or not low <= int(rest) <= high:
            raise BadCommand(f"{usage} takes a whole number from {low} to {high}.")
        return Command(name, number=int(rest))

    return parse_number


def _profile(rest: str) -> Command:
    if rest.strip().lower() in ("clear-inferred", "clear inferred"):
        return Command("clear_inferred")
    fields: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", rest))):
        key, sep, value = part.partition("=") if "=" in part else part.partition(":")
        canonical = PROFILE_KEYS.get(key.strip().lower())
        if not sep or canonical is None:
            known = ", ".join(sorted({"role", "specialty", "department", "site", "started",
                                      "capacity", "quiet", "tz", "name", "digest"}))
            raise BadCommand(f"Write profile changes as `key=value; …` with keys: {known}.")
        fields[canonical] = value.strip()
    return Command("profile", fields=fields)


def _bare(name: str):
    def parse_bare(rest: str) -> Command:
        if rest:
            raise BadCommand(f"`{name}` takes nothing after it.")
        return Command(name)

    return parse_bare


def _reflect(rest: str) -> Command:
    if not rest:
        raise BadCommand("Add one line on what you gained, e.g. `reflect I now do FAST exams alone`.")
    return Command("reflect", text=rest)


def _feedback(rest: str) -> Command:
    if not rest:
        raise BadCommand("Add one line to go with your answer, e.g. `feedback we meet after rounds`.")
    return Command("feedback", text=rest)


def _admin(rest: str) -> Command:
    words = rest.lower().split()
    if words == ["channel", "here"]:
        return Command("admin_channel")
    if words[:1] == ["report"]:
        return Command("admin_report", text=rest.partition(" ")[2].strip())
    if words == ["programs"]:
        return Command("admin_programs")
    if words[:1] == ["program"]:
        return Command("admin_program", text=rest.partition(" ")[2].strip())
    raise BadCommand("Lead commands: `/mentor admin report [program]`, `/mentor admin channel here`, "
                     "`/mentor admin programs`, `/mentor admin program <name>: …`.")


def _thanks(rest: str) -> Command:
    private = rest.startswith("--private")
    rest = rest.removeprefix("--private").strip()
    target, _, message = rest.partition(" ")
    if not target or not message.strip():
        raise BadCommand("Say who and what for: `/mentor thanks @someone for the FAST exam tips`.")
    return Command("thanks", items=(target,), text=message.strip(), private=private)


def _wrap_up(rest: str) -> Command:
    """`wrap-up [@person] [aspect]`: both optional, the person first."""
    rest = rest.strip()
    person, _, aspect = rest.partition(" ") if rest.startswith(("<@", "@")) else ("", "", rest)
    return Command("wrap_up", items=(person,) if person else (), text=aspect.strip())


def _forget_me(rest: str) -> Command:
    if rest.lower() not in ("", "confirm"):
        raise BadCommand("Type `/mentor forget-me` to see what it erases, then "
                         "`/mentor forget-me confirm`.")
    return Command("forget_me", text=rest.lower())


_SIMPLE = {
    "offer": _offer,
    "profile": _profile,
    "status": _bare("status"),
    "resume": _bare("resume"),
    "pause": _number("pause", 1, 52, "`pause`", optional=True),
    "capacity": _number("capacity", 0, MAX_CAPACITY, "`capacity`"),
    "reflect": _reflect,
    "feedback": _feedback,
    "admin": _admin,
    "thanks": _thanks,
    "impact": _bare("impact"),
    "export": _bare("export"),
    "forget-me": _forget_me,
    "wrap-up": _wrap_up,
    "wrapup": _wrap_up,
}
