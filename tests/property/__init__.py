"""Hostile input, property-based (issue 8, point 5): what people and forged clients can send.

Every test uses the "ci" hypothesis profile (conftest.py: derandomized, no example database,
no deadline), so CI generates the same inputs on every run. Generated examples per run, at
least (hypothesis runs `max_examples` passing examples; the end-to-end tests also assert that
their world really saw that many; explicit `@example`s come on top):

pure domain and views (fast, no bot)                                  11,150
  test_codec.py      decode of random bytes/strings never raises,
                     accepts only canonical data; encode round-trips      2,500 + 800
  test_when.py       parse_when, the /meeting line, reminder offsets      1,000 + 800 + 600
  test_poll_rules.py /poll lines and every kind of poll                   1,000 + 800
  test_crisis.py     crisis phrases found however dressed; never fails      700 + 600
  test_rendering.py  split_message; poll, results, list, reminder and
                     button texts from hostile polls fit and parse        1,000 + 500 + 300
  test_disclosure_props.py  generated role mixes: choose() monotone, role
                     order irrelevant; random tallies: codes = scalar rules 250 + 150 + 150
end to end: the real Application against the in-process sandbox          2,810
  test_e2e_callbacks.py  any callback data, anyone, any message           1,300
  test_e2e_commands.py   every command with any argument, plain text      1,000
  test_e2e_meetings.py   the /meeting flow: confirm, save, move, cancel     250
  test_e2e_polls.py      hostile /poll, votes (a model of them), close      200
  test_e2e_titles.py     hostile group titles: join, role, feedback, data    60
                                                                       ------
total                                                                  13,960

The end-to-end tests build one bot each (world.py) and run every example against it, checking
after each: no error reached the error handler and nothing was logged at WARNING or above;
Telegram refused no call and no call broke the Bot API spec; every message and answer is kind
(not empty, fits, valid HTML, no apology); and the database invariants (one ballot per voter
and poll, tallies equal to a recount, closed polls unchanged, every poll well formed).

The whole folder takes about 80 seconds on the 2-core CI machine (measured: 38 tests, 13,410
generated examples, before test_disclosure_props.py added 3 tests and 550 examples, about 10 s).
test_regressions.py holds one plain test for each bug these found.
"""
