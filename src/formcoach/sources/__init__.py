"""Frame sources, each owning its timestamps: a video file (`video_file`), a camera
(`camera`, grabbed on its own thread by `grabber`), an image folder (`images`);
`open_source` (`open`) picks one. `base` holds what they share; `prefetch` decodes a
file's next frames on a thread while the model runs. Timestamps strictly increase."""
