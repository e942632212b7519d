"""Coaching a person live: `live_session` (the stage that runs a set: the set-up check,
counting, the corrections and their timing), `setup_check` (in frame, in position, the
camera's view), `corrections` (which one thing to say, and when), `routine` (the plan of
a session, from TOML) and `routine_runner` (its steps one after another, with the pain
check), `set_card` (the summary shown and said at the end of a set), `demo` (the
demonstration clips of the set-up screen), `voice` (speech) and `keys` (keys pressed in
the window)."""
