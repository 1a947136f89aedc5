"""`preceptor try --script`: the whole story in the local workspace, through the real CLI."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_try(script: str, tmp_path) -> str:
    path = tmp_path / "script.txt"
    path.write_text(script)
    done = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "try", "--now", "2026-12-01T14:00:00Z", "--script",
         str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def after(output: str, prompt_line: str) -> str:
    """What the line typed at `prompt_line` printed, up to the next prompt."""
    start = output.index(f"> {prompt_line}\n") + len(prompt_line) + 3
    end = output.find("\n[", start)
    return output[start:] if end == -1 else output[start:end]


def test_the_whole_story(tmp_path):
    output = run_try((ROOT / "examples" / "story.txt").read_text(), tmp_path)

    offered = after(output, "/mentor offer point-of-care ultrasound")
    assert "You're listed as a mentor for: Point-of-care ultrasound" in offered

    learned = after(output, "/learn POCUS: FAST exams on night shifts")
    assert ("1. @Dr. Ana Souza: offers mentoring in Point-of-care ultrasound; "
            "both Internal Medicine at Main campus") in learned
    assert "2. @Dr. Marcus Lee" in learned and "[1] Request intro: Dr. Ana Souza" in learned
    assert "── to #mentoring" in learned and "[3] I can help" in learned

    asked = after(output, "1")
    assert "── to Dr. Ana Souza" in asked and "would like your help" in asked
    assert "[1] Accept" in asked  # numbered afresh, in the order shown

    status = after(output, "/mentor status")
    assert "[1] Accept Priya Raman" in status

    introduced = output[output.index("> /mentor status"):]
    introduced = introduced[introduced.index("> 1\n"):]
    assert "── group message to Dr. Ana Souza, Priya Raman" in introduced
    assert "@Dr. Ana Souza, meet @Priya Raman" in introduced and "Suggested first step" in introduced
    assert "has room" not in introduced

    fortnight = after(output, "time +15d")
    assert fortnight.count("Check-in: how is *Point-of-care ultrasound* going") == 2
    assert "── to Dr. Ana Souza" in fortnight and "── to Priya Raman" in fortnight

    met = after(output, "met")
    assert "noted that you met" in met and "@Priya Raman says you met" in met

    status = output[output.rindex("> /mentor status"):]
    assert re.search(r"Point-of-care ultrasound with @Dr. Ana Souza: next check-in Wed 30 Dec; "
                     r"last check-in Wed 16 Dec: met", status)


MISTAKES = [
    ("as Nobody Atall", "No one called 'Nobody Atall' here"),
    ("42", "There's no button [42]"),
    ("/learn POCUS: my patient John Smith", "didn't save or post that"),
    ("/mentor dance", "I don't know `dance`"),
    ("time +lots", "Move the clock with `time +<n>h`"),
    ("time", "Move the clock with `time +<n>h`"),
    ("as", "Say who: `as <name>`"),
    ("help", "`as <name>` — be someone else"),
    ("people", "Dr. Ruth Okafor (okafor) — the mentoring lead"),
]


def test_mistakes_get_a_clear_answer_and_the_session_goes_on(tmp_path):
    """One session, a mistake a line: each line gets its own answer (one process, not nine)."""
    output = run_try("".join(f"{line}\n" for line, _ in MISTAKES), tmp_path)
    for line, says in MISTAKES:
        assert says in after(output, line), line


def test_a_mentorship_to_its_wrap_up_then_impact_and_the_program_report(tmp_path):
    output = run_try((ROOT / "examples" / "impact.txt").read_text(), tmp_path)
    thanked = after(output, "/mentor thanks @souza for the night-shift scanning sessions")
    assert "@Priya Raman thanked you: “for the night-shift scanning sessions”" in thanked
    impact = after(output, "/mentor impact")
    assert "You have helped *1 person* on Point-of-care ultrasound (1)" in impact
    assert "“for the night-shift scanning sessions” — @Priya Raman" in impact
    report = after(output, "/mentor admin report")
    assert "*Overall*: 1 learning request, 100.0% got an introduction" in report
    assert "1 wrapped up" in report and "• Medicine: fewer than 5" in report
    assert "FAST exams" not in report  # counts only, never anyone's words


@pytest.mark.parametrize("leave", ["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_leave_at_once_without_a_traceback(tmp_path, leave):
    """Interactive, as a person types: the prompt is on a pipe, not a script."""
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "bot.app.cli", "try", "--now", "2026-12-01T14:00:00Z"], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    process.stdin.write(b"people\n")
    process.stdin.flush()
    seen = b""
    while b"the mentoring lead" not in seen or not seen.rstrip().endswith(b">"):
        chunk = process.stdout.read1(4096)
        assert chunk, "the workspace ended before answering"
        seen += chunk
    if leave == "ctrl-c":
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    else:
        out, err = process.communicate(b"", timeout=20)  # end of input: Ctrl-D
    assert process.returncode == 0 and b"Traceback" not in err, err.decode()
    assert b"Bye." in out


def test_colleagues_named_as_the_workspace_shows_them_or_nearly(tmp_path):
    """No platform mentions here: `@Dr. Ana Souza` (the name shown) and `@sousa` (a slip for
    her handle) both reach her, and the name is not taken as part of the message."""
    output = run_try("/mentor thanks @Dr. Ana Souza for the FAST tips\n"
                     "/mentor thanks @sousa for the night shift\n"
                     "/mentor thanks @zzzz for nothing\n", tmp_path)
    by_name = after(output, "/mentor thanks @Dr. Ana Souza for the FAST tips")
    assert "Sent your thanks to @Dr. Ana Souza" in by_name
    assert "thanked you: “for the FAST tips”" in by_name
    assert "Sent your thanks to @Dr. Ana Souza" in after(output, "/mentor thanks @sousa for the night shift")
    assert "I don't know who that is" in after(output, "/mentor thanks @zzzz for nothing")


def test_a_first_week_decline_hold_withdrawal_and_wrap_up_from_status(tmp_path):
    output = run_try((ROOT / "examples" / "first_week.txt").read_text(), tmp_path)
    slip = after(output, "/learn --private POCSU: FAST exams on nights")
    assert "Did you mean *Point-of-care ultrasound*?" in slip
    assert "[1] Yes: Point-of-care ultrasound" in slip and "[2] No, post 'POCSU'" in slip
    declined = output[output.index("> as Dr. Ana Souza"):output.index("> as Dr. Marcus Lee")]
    assert "can't take on *Point-of-care ultrasound* right now. Here's who else could help:" in declined
    assert "[1] Request intro: Dr. Marcus Lee" in declined
    assert "I've asked @Dr. Marcus Lee" in declined  # pressing [1] asked the next suggestion
    held = after(output, "/learn antimicrobial stewardship: vancomycin dosing")
    assert "[1] Request intro: Sam Patel" in held
    assert ("It's 06:00 where they are, so your ask reaches them at 07:00 their time "
            "(Tue 10:00 yours).") in output
    withdrawn = after(output, "/learn cancel antimicrobial")
    assert "Withdrawn: your request to learn *Antimicrobial stewardship*" in withdrawn
    an_hour = after(output, "time +1h")
    assert "the clock moves 1 hour:" in an_hour
    assert "── to Sam Patel" not in an_hour  # the held ask was taken back, not sent then undone
    status = output[output.rindex("> /mentor status"):]
    assert "[1] Wrap up: Point-of-care ultrasound with Dr. Marcus Lee" in status
    assert "Wrapped up *Point-of-care ultrasound* with @Dr. Marcus Lee" in status


def test_the_lead_hears_of_a_pair_that_never_met_both_are_asked_and_a_quiet_pair_closes(tmp_path):
    output = run_try((ROOT / "examples" / "quality.txt").read_text(), tmp_path)
    flagged = after(output, "time +22d")
    assert "── to Dr. Ruth Okafor" in flagged and "*A pair to look in on*" in flagged
    asked = after(output, "time +9d")
    assert asked.count("how useful has this mentorship been so far?") == 2
    assert "[6] 1   [7] 2   [8] 3   [9] 4   [10] 5" in asked
    assert "noted 4/5" in after(output, "9")
    assert "saved your line" in after(output, "feedback we meet after morning rounds")
    warned = after(output, "time +91d")
    assert warned.count("has been quiet for 91 days, so I'll close it on Fri 9 Apr") == 2
    assert "[19] Keep it open   [20] Wrap up now" in warned
    assert after(output, "time +8d").count("I've closed your mentorship on *Point-of-care ultrasound*") == 2
