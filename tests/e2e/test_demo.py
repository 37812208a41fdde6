"""`equalsay demo` runs with no token and no network and shows the bot at work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_languages import english_in


def test_demo_exits_0_and_shows_the_welcome(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[Riverside co-production] Equal Say:" in out
    assert "I am Equal Say" in out and "[ Join ]" in out
    assert "Sam: presses [ Service user ]" in out
    assert "[private chat with Fiona] Equal Say:\n    Who has joined" in out
    assert "Service users: fewer than 3" in out and "Staff: fewer than 3" in out
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir()), "the demo leaves no database behind"


def test_demo_poll_scene_shows_equal_weight_against_a_show_of_hands(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.split("=== A poll where", 1)[1]
    assert "Results: When should the ward forum meet?" in out
    assert "On equal weight: Weekday evenings." in out
    assert "A show of hands would have picked Weekday mornings" in out  # the narrator says it
    assert "Weekday evenings: " not in out and "%" not in out.split("===")[0]  # no figures


def test_demo_shows_a_first_vote_carried_through_sign_up(tmp_path: Path) -> None:
    out = _demo_output(tmp_path).split("=== A newcomer is welcomed", 1)[1].split("\n=== ", 1)[0]
    assert "Welcome to Northside carers' circle!" in out
    assert "You pressed Monthly" in out
    assert "Your vote for Monthly is counted." in out


def _demo_output(folder: Path, *options: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", *options],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("code", "meeting_words"),
    [("pl", ("Kiedy:", "Przyjdę", "Grupa robocza ds. wypisów")), ("ar", ("متى:", "سأحضر"))],
)
def test_demo_plays_in_another_language(
    tmp_path: Path, code: str, meeting_words: tuple[str, ...]
) -> None:
    """`equalsay demo --language pl`: its people's Telegram is in Polish, so the bot answers
    in it, and the story told around them is in Polish too."""
    out = _demo_output(tmp_path, "--language", code)
    story = [line for line in out.splitlines() if line.startswith(("===", "* "))]
    assert len(story) >= 15
    for line in story:
        assert not english_in(line), line
    meeting = out.split("=== ", 4)[4]  # the fourth scene: the meeting
    for words in meeting_words:
        assert words in meeting, words
    assert "presses" not in out and "private chat with" not in out
