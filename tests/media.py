"""Write test recordings in real containers and codecs with PyAV (encoders ship in the wheel)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np

# suffix -> (audio codec, video codec or None)
CONTAINERS: dict[str, tuple[str, str | None]] = {
    ".wav": ("pcm_s16le", None),
    ".flac": ("flac", None),
    ".mp3": ("libmp3lame", None),
    ".m4a": ("aac", None),
    ".ogg": ("libopus", None),
    ".webm": ("libopus", "libvpx"),
    ".mp4": ("aac", "libx264"),
    ".mkv": ("flac", "mpeg4"),
}


def encode(samples: np.ndarray, rate: int, path: Path, *, stereo: bool = False) -> Path:
    """Encode int16 mono `samples` at `rate` into the container `path`'s suffix names."""
    audio_codec, video_codec = CONTAINERS[path.suffix]
    layout = "stereo" if stereo else "mono"
    with av.open(str(path), "w") as container:
        out_rate = 48_000 if audio_codec == "libopus" else rate
        audio = cast(
            av.AudioStream, container.add_stream(audio_codec, rate=out_rate, layout=layout)
        )
        video = None
        if video_codec:
            video = cast(av.VideoStream, container.add_stream(video_codec, rate=5))
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        resampler = av.AudioResampler(format=audio.format.name, layout=layout, rate=out_rate)
        data = np.stack([samples, samples]) if stereo else samples[np.newaxis, :]
        frame_size = 1024
        for start in range(0, data.shape[1], frame_size):
            chunk = np.ascontiguousarray(data[:, start : start + frame_size])
            if stereo:
                chunk = np.ascontiguousarray(chunk.T.reshape(1, -1))
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout=layout)
            frame.sample_rate = rate
            frame.time_base = Fraction(1, rate)
            frame.pts = start
            for resampled in resampler.resample(frame):
                container.mux(audio.encode(resampled))
        for resampled in resampler.resample(None):
            container.mux(audio.encode(resampled))
        container.mux(audio.encode(None))
        if video is not None:
            seconds = samples.shape[0] / rate
            for index in range(int(seconds * 5)):
                picture = np.full((48, 64, 3), (index * 7) % 255, dtype=np.uint8)
                container.mux(video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
            container.mux(video.encode(None))
    return path


def video_only(path: Path, seconds: float = 1.0) -> Path:
    """An mp4 with a picture and no sound at all."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=5)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        for index in range(int(seconds * 5)):
            picture = np.full((48, 64, 3), index * 20, dtype=np.uint8)
            container.mux(video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(video.encode(None))
    return path
