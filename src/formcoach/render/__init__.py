"""Drawing on frames: `overlay` (the skeleton, angles and verdict on the annotated video),
`hud` (the live screen's layout and its set card, with its parts in `hud_body`, the
skeleton; `hud_counters`, the ring or reps; `hud_message`, the correction or instruction)
and `screen` (the display's size and the window's)."""
