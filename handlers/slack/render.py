"""The one place Block Kit is built, with slack_sdk's models, inside Slack's limits."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core.domain import ROLES
from bot.core.messages import MENTION, Message, plain

MAX_BLOCKS = 50  # per message; views allow 100
MAX_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_ACTIONS = 25
PROFILE_CALLBACK = "profile"
ROLE_LABELS = {"np": "NP", "pa": "PA", "crna": "CRNA"}
PROFILE_FIELDS = (  # block/action id, label, hint
    ("specialty", "Specialty", "e.g. Internal Medicine"),
    ("department", "Department", "e.g. Medicine"),
    ("site", "Site", "e.g. Main campus"),
    ("career_start_year", "Year your career started", "e.g. 2019"),
    ("capacity", "Mentees at once", "0 to 10"),
    ("quiet_hours", "Quiet hours", "e.g. 21-7: no messages from 21:00 to 07:00"),
)


def mrkdwn(text: str) -> str:
    """Core mentions `<@U1|Name>` become Slack mentions `<@U1>`."""
    return MENTION.sub(lambda m: f"<@{m.group(1)}>", text)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def blocks(message: Message, limit: int = MAX_BLOCKS) -> list[Block]:
    out: list[Block] = [SectionBlock(text=MarkdownTextObject(text=_clip(mrkdwn(message.text))))]
    for section in message.sections:
        out.append(SectionBlock(text=MarkdownTextObject(text=_clip(mrkdwn(section)))))
    if message.context:
        out.append(ContextBlock(elements=[
            MarkdownTextObject(text=_clip(mrkdwn(c))) for c in message.context[:10]
        ]))
    for number, group in enumerate(_button_rows(message)):
        out.append(ActionsBlock(block_id=f"actions-{number}", elements=group))
    if len(out) > limit:
        out = out[: limit - 1] + [ContextBlock(elements=[
            MarkdownTextObject(text="…more in `/mentor status`.")])]
    return out


def _button_rows(message: Message) -> list[list[ButtonElement]]:
    """Buttons in rows of at most 25, never two with the same action id in one row (Slack
    refuses that, and a list of suggestions has one `request_intro` per mentor)."""
    rows: list[list[ButtonElement]] = []
    for b in message.buttons:
        button = ButtonElement(text=_clip(b.label, MAX_BUTTON_TEXT), action_id=b.action_id,
                               value=b.value, style=b.style)
        row = next((r for r in rows if len(r) < MAX_ACTIONS
                    and all(e.action_id != b.action_id for e in r)), None)
        if row is None:
            rows.append([button])
        else:
            row.append(button)
    return rows


def fallback(message: Message) -> str:
    """The notification text Slack shows where blocks can't be (and reads to screen readers)."""
    return _clip(plain(message.text), 3000)


def home_view(message: Message, paused: bool) -> View:
    """App Home: the status, with buttons for the profile form and pausing."""
    controls = ActionsBlock(block_id="home-controls", elements=[
        ButtonElement(text="Edit profile", action_id="open_profile", value="profile"),
        ButtonElement(text="Resume" if paused else "Pause",
                      action_id="resume_me" if paused else "pause_me", value="me"),
    ])
    body = blocks(message, limit=95)  # a view holds 100 blocks
    return View(type="home", blocks=[HeaderBlock(text="Preceptor"), controls, DividerBlock(), *body])


def profile_modal(values: dict[str, str] | None = None) -> View:
    """The profile form. Opened empty at once (the trigger expires in 3 s), then filled in."""
    values = values or {}
    role_options = [Option(value=r, label=ROLE_LABELS.get(r, r.capitalize())) for r in ROLES]
    role = StaticSelectElement(
        action_id="role", placeholder="Choose your role", options=role_options,
        initial_option=next((o for o in role_options if o.value == values.get("role")), None),
    )
    fields: list[Block] = [InputBlock(block_id="role", label="Role", element=role, optional=True)]
    for key, label, hint in PROFILE_FIELDS:
        fields.append(InputBlock(
            block_id=key, label=label, optional=True, hint=hint,
            element=PlainTextInputElement(action_id=key, initial_value=values.get(key) or None,
                                          max_length=120),
        ))
    return View(
        type="modal", callback_id=PROFILE_CALLBACK, title=PlainTextObject(text="Your profile"),
        submit=PlainTextObject(text="Save"), close=PlainTextObject(text="Cancel"), blocks=fields,
    )


def profile_submission(state_values: dict) -> dict[str, str]:
    """The form's answers as profile fields; a cleared box clears the field."""
    fields: dict[str, str] = {}
    for block_id, actions in state_values.items():
        for value in actions.values():
            if value.get("type") == "static_select":
                if value.get("selected_option"):
                    fields[block_id] = value["selected_option"]["value"]
            elif block_id in ("capacity", "career_start_year", "quiet_hours"):
                if value.get("value"):
                    fields[block_id] = value["value"]
            else:
                fields[block_id] = value.get("value") or ""
    return fields
