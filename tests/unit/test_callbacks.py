"""The callback codec: compact, inside 64 bytes, and None for anything that is not ours."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.views.callbacks import Action, Press, decode, encode


@given(st.sampled_from(list(Action)), st.lists(st.integers(0, 2**31 - 1), max_size=4))
def test_round_trip(action: Action, args: list[int]) -> None:
    data = encode(action, *args)
    assert len(data.encode()) <= 64
    assert decode(data) == Press(action, tuple(args))


@given(st.text(max_size=100))
def test_anything_that_decodes_is_a_well_formed_press(data: str) -> None:
    press = decode(data)
    if press is not None:
        assert decode(encode(press.action, *press.args)) == press
        assert all(arg >= 0 for arg in press.args)


@pytest.mark.parametrize("data", ["", "zz:1", "r:-1", "r:1:", "r:1::2", "x" * 70, "r:" + "9" * 20])
def test_forged_or_truncated_data_is_refused(data: str) -> None:
    assert decode(data) is None


def test_numbers_are_never_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        encode(Action.ROLE, -1)


@pytest.mark.parametrize("data", ["v:zzzzzzz:0", "c:zzzzzzzzzzzzz", "ps:1:zzzzzzz", "v:zik0zk:0"])
def test_numbers_past_32_bits_are_forged(data: str) -> None:
    # Such ids would overflow SQLite's and PostgreSQL's integers: refuse them before SQL.
    assert decode(data) is None
