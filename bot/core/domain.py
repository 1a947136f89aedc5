"""Vocabulary shared by the use cases: roles and their tracks, statuses, limits."""

ROLES = (
    "student", "resident", "fellow", "attending", "nurse", "np", "pa", "crna", "pharmacist",
    "other",
)

# Roles that grow along the same ladder; similarity counts a shared track, not only a shared role.
ROLE_TRACK = {
    "student": "physician", "resident": "physician", "fellow": "physician",
    "attending": "physician", "nurse": "nursing", "np": "nursing", "crna": "nursing",
    "pa": "pa", "pharmacist": "pharmacy", "other": "other",
}


class Status:
    OPEN, MATCHED, CLOSED = "open", "matched", "closed"  # learning requests
    PENDING, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN = (
        "pending", "accepted", "declined", "expired", "withdrawn",
    )  # intro asks
    ACTIVE, PAUSED, WRAPPED = "active", "paused", "wrapped"  # mentorships


class Outcome:
    MET, NOT_YET, PAUSE, WRAP_UP, SILENT = "met", "not_yet", "pause", "wrap_up", "silent"


class Source:
    DECLARED, INFERRED, PROVEN = "declared", "inferred", "proven"


MAX_DETAILS = 1000
MAX_ASPECT = 80
MAX_REFLECTION = 500
MAX_CAPACITY = 10
NOT_YET_DAYS = 7
DECLINE_MEMORY_DAYS = 90
SILENT_ROUNDS_TO_PAUSE = 2
PAUSED_RECHECK_DAYS = 7  # an open-ended pause: look again in a week

# Relationship quality: one 1–5 question at day 30 and every 60 days after, and at the wrap-up;
# nobody is asked more than once a fortnight, whatever their number of mentorships.
FIRST_SURVEY_DAYS, SURVEY_EVERY_DAYS, SURVEY_GAP_DAYS = 30, 60, 14
WRAP_UP_STAGE = 0  # a survey's stage at the wrap-up; checkpoints are 1, 2, …
MAX_NOTE = 300
FEEDBACK_WINDOW_DAYS = 14  # how long after answering a survey `feedback <line>` attaches to it


class Ended:
    """Why a mentorship ended."""
    WRAPPED, QUIET, LEFT = "wrapped", "quiet", "left"  # a person wrapped it up; it went quiet
    # and was closed after a warning; one side left Preceptor (forget-me)
