"""Recorded videos: one analysed into an output folder (`analyze`), many at once in
processes or on Ray (`batch`, `ray_engine`) with one table of the results
(`summary_table`), the exercises of a recording recognised and analysed part by part
(`auto`), and the shared clips judged against their truth (`evaluate`; the truth file in
`truth_file`, made from the clips' manifest by `clip_manifest`; `truthtable`)."""
