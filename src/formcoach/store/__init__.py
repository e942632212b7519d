"""The session history: sets saved on this machine, the side file for a locked database,
and the progress plot."""
