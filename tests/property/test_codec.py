"""The callback-data codec against anything a client can send: it never raises, and whatever it
accepts is exactly what the bot itself would have made (so forged data has one reading only)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.views.callbacks import MAX_CALLBACK_BYTES, MAX_NUMBER, Action, Press, decode, encode

CI = settings.get_profile("ci")

parts = st.one_of(
    st.integers(0, 40).map(str),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCXYZ-+_ \n\t\x00٣", max_size=9),
    st.text(max_size=4),
)
structured = st.builds(
    lambda head, rest, tail: ":".join([head, *rest]) + tail,
    st.one_of(st.sampled_from([a.value for a in Action]), st.text(max_size=3)),
    st.lists(parts, max_size=8),
    st.sampled_from(("", "", "\n", ":", " ", "\x00")),
)
anything = st.one_of(
    st.binary(max_size=80).map(lambda b: b.decode(errors="replace")),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.text(max_size=80),
    structured,
    st.none(),
)


@settings(CI, max_examples=2500)
@given(data=anything)
@example(data="v:1:0\n")  # `$` in a regular expression matches before a final newline
@example(data="v:01:0")  # a leading zero: the same poll, spelled another way
@example(data="v:1 :0")
@example(data="w:٣")  # a digit int() reads but base 36 never writes
@example(data="v:zik0zj:0")  # one past 2**31 - 1
def test_decode_never_raises_and_accepts_only_what_encode_makes(data: str | None) -> None:
    press = decode(data)
    if press is None:
        return
    assert data is not None
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert all(0 <= n <= MAX_NUMBER for n in press.args)
    assert encode(press.action, *press.args) == data  # canonical: one spelling per press


@settings(CI, max_examples=800)
@given(
    action=st.sampled_from(list(Action)),
    args=st.lists(st.one_of(st.integers(0, 40), st.integers(0, MAX_NUMBER)), max_size=6),
)
def test_every_press_the_bot_makes_round_trips_within_64_bytes(
    action: Action, args: list[int]
) -> None:
    try:
        data = encode(action, *args)
    except ValueError:
        assert len(":".join([action.value, *map(str, args)]).encode()) > 0
        return
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert decode(data) == Press(action, tuple(args))
