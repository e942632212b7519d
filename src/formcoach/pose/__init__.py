"""From frames to the pose the analyzers see: the estimator (MediaPipe, or a recorded track),
the model files, person tracking, the one-person guard, smoothing and frame sampling."""
