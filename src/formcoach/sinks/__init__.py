"""Where frame results go, one module per output: `report` (report.json), `events`
(events.jsonl), `rows_csv` (rows.csv, one row per rep and hold), `html_report`
(report.html, with `series`: the plotted angles and fault thumbnails), `video`
(annotated.mp4, written by `video_writer`), `window` (the live window), `voice` (the
spoken corrections), `history` (each set saved) and `framing` (warnings about how the
person is framed). Each writes to a temporary name and renames on close, so an
interrupted run leaves complete files, never half-written ones. A sink only reads
results: it never imports the pipeline."""
