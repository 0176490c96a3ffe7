from __future__ import annotations

from pathlib import Path

import pytest

from minutes.weights import ModelNotFound, resolve_whisper_model


def test_base_is_joined_once_into_the_cache(model_cache: Path) -> None:
    path = Path(resolve_whisper_model("base", model_cache))
    model_bin = path / "model.bin"
    assert model_bin.stat().st_size > 140_000_000
    assert {p.name for p in path.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    before = model_bin.stat().st_mtime_ns
    assert resolve_whisper_model("base", model_cache) == str(path)
    assert model_bin.stat().st_mtime_ns == before


def test_a_truncated_join_is_redone(tmp_path: Path) -> None:
    path = Path(resolve_whisper_model("base", tmp_path))
    size = (path / "model.bin").stat().st_size
    (path / "model.bin").write_bytes(b"half")
    resolve_whisper_model("base", tmp_path)
    assert (path / "model.bin").stat().st_size == size


def test_tiny_en_comes_from_its_package(tmp_path: Path) -> None:
    assert (Path(resolve_whisper_model("tiny.en", tmp_path)) / "model.bin").is_file()


def test_local_model_directories(tmp_path: Path, model_cache: Path) -> None:
    base = resolve_whisper_model("base", model_cache)
    assert resolve_whisper_model(base, tmp_path) == base
    with pytest.raises(ModelNotFound, match=r"no model\.bin"):
        resolve_whisper_model(str(tmp_path), tmp_path)


def test_other_names_are_left_to_faster_whisper(tmp_path: Path) -> None:
    assert resolve_whisper_model("large-v3", tmp_path) == "large-v3"
