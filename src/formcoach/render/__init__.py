"""Drawing on frames: `overlay` (the skeleton, angles and verdict on the annotated video),
`hud` (the live screen's layout: counter, ring, banner, correction, set card) and
`screen` (the display's size and the window's)."""
