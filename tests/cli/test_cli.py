"""The CLI, run in-process: output and exit codes, not just "it didn't crash"."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from formcoach.cli import main
from tests.conftest import shared_clip


def test_exercises_lists_names_targets_and_placement(capsys):
    assert main(["exercises"]) == 0
    out = capsys.readouterr().out
    assert "plank" in out and "hold 30 s" in out and "your side toward it" in out


def test_exercises_fit_100_columns_with_the_avoid_list_in_its_own_section(capsys):
    from formcoach.exercises import Exercise

    assert main(["exercises"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    program, avoid = out.split("\nAvoid list:")
    names = {
        line.split()[0] for line in out.splitlines() if line.startswith("  ") and line[2] != " "
    }
    assert names == set(Exercise.registry)  # every exercise, once
    for name, cls in Exercise.registry.items():
        assert (f"  {name} " in avoid) == (cls.kind == "warning"), name
        assert (f"  {name} " in program) == (cls.kind != "warning"), name


def test_doctor_reports_the_network_silent_runtime(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "mediapipe 0.10.21: network-silent runtime" in out
    assert "full" in out and " ok " in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "no/such/video.mp4", "-e", "plank", "-o", "OUT"], "video not found"),
        (
            ["analyze", "VIDEO", "-e", "yoga", "-o", "OUT"],
            "unknown exercise 'yoga'; expected one of",
        ),
        (["analyze", "EMPTY", "-e", "plank", "-o", "OUT"], "video file is empty"),
        (["analyze", "TEXT", "-e", "plank", "-o", "OUT"], "cannot decode"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, message):
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "text.mp4").write_text("this is not a video\n" * 50)
    subst = {
        "OUT": str(tmp_path / "out"),
        "EMPTY": str(tmp_path / "empty.mp4"),
        "TEXT": str(tmp_path / "text.mp4"),
        "VIDEO": str(tmp_path / "text.mp4"),
    }
    assert main([subst.get(a, a) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out" / "report.json").exists()


def test_bad_config_key_names_the_valid_ones(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[plank]\nmax_sag = 3\n")
    assert (
        main(
            [
                "analyze",
                str(tmp_path),
                "-e",
                "plank",
                "-o",
                str(tmp_path / "o"),
                "--config",
                str(cfg),
            ]
        )
        == 2
    )
    assert "unknown key plank.max_sag (did you mean max_sag_deg" in capsys.readouterr().err


def test_an_unknown_exercise_with_a_config_is_a_usage_error(tmp_path, capsys):
    # The name is checked first, whatever the config file says (was: KeyError, exit 1).
    cfg = tmp_path / "c.toml"
    cfg.write_text("[plank]\nmax_sag_deg = 10\n")
    argv = ["analyze", str(tmp_path), "-e", "yoga", "-o", str(tmp_path / "o"), "--config"]
    assert main([*argv, str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "unknown exercise 'yoga'" in err and "KeyError" not in err


def test_a_typo_gets_the_closest_names(tmp_path, capsys):
    assert main(["analyze", str(tmp_path), "-e", "side_plnk", "-o", str(tmp_path / "o")]) == 2
    assert "unknown exercise 'side_plnk' (did you mean side_plank?)" in capsys.readouterr().err


def test_a_folder_named_eval_is_just_a_folder(tmp_path, capsys):
    # `formcoach eval TRUTH` is short for `eval run TRUTH`: only the command word counts.
    folder = tmp_path / "eval"
    folder.mkdir()
    (folder / "frame_000.png").write_bytes(b"not an image")
    code = main(["analyze", str(folder), "-e", "nope", "-o", str(tmp_path / "o")])
    assert code == 2 and "unknown exercise 'nope'" in capsys.readouterr().err
    from formcoach.cli.parser import eval_argv as _eval_argv

    assert _eval_argv(["analyze", "eval", "-e", "plank"]) == ["analyze", "eval", "-e", "plank"]
    assert _eval_argv(["-v", "eval", "t.json"]) == ["-v", "eval", "run", "t.json"]


def test_missing_model_says_how_to_build_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FORMCOACH_MODEL_DIR", str(tmp_path / "nomodels"))
    assert main(["analyze", str(tmp_path), "-e", "plank", "-o", str(tmp_path / "o")]) == 2
    assert "run `formcoach setup`" in capsys.readouterr().err


def test_analyze_a_real_plank_clip_with_no_flags(tmp_path, capsys):
    # The default path as a user runs it, on the clip where the old two-person default
    # split the hold at the camera's zoom (14.0-18.3 s). Oracle: truth.tsv's checks.
    from formcoach.offline import truthtable

    clip = shared_clip("plank_01.mp4")
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-e", "plank", "-o", str(out), "-q"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["exercise"] == "plank"
    assert report["view"] == {"detected": "side", "judgeable": True, "message": ""}
    checks = [c for c in truthtable.load(clip.parent / "truth.tsv") if c.clip == clip.name]
    assert {c.kind for c in checks} == {"hold", "nofault"}  # one 9.8 +/- 1 s hold, no fault
    for check in checks:
        judgement = truthtable.judge(check, report)
        assert judgement.passed, judgement
    assert len(report["holds"]) == 1  # one hold, not split
    assert (out / "annotated.mp4").stat().st_size > 100_000
    assert (out / "events.jsonl").read_text().count("hold_end") == 1


def test_synth_is_a_subcommand(tmp_path, capsys):
    out = tmp_path / "clips"
    assert main(["synth", "build", "--out", str(out), "--only", "no_such_clip"]) != 0
    assert main(["synth", "--help"]) == 0
    assert "build" in capsys.readouterr().out


def test_quiet_analysis_prints_no_native_chatter(tmp_path, capfd, monkeypatch):
    # MediaPipe's C++ start-up lines ("Created TensorFlow Lite XNNPACK delegate", GPU
    # probing) go to file descriptor 2; the CLI hides them unless --verbose.
    monkeypatch.delenv("FORMCOACH_QUIET_NATIVE", raising=False)
    clip = Path(__file__).resolve().parents[2] / "sample_videos" / "plank_good_side.mp4"
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-e", "plank", "-o", str(out), "-q", "--no-video"]) == 0
    captured = capfd.readouterr()
    assert "XNNPACK" not in captured.err and "W0000" not in captured.err
    assert (out / "report.json").is_file()


def test_every_subcommand_has_a_function_that_runs_it():
    from formcoach.cli.commands import WHERE, handler
    from formcoach.cli.parser import build_parser

    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    own = {"synth"}  # its subcommands set their own function (args.func)
    assert set(sub.choices) == set(WHERE) | own
    assert all(callable(handler(name)) for name in WHERE)
    assert handler("no-such-command") is None
