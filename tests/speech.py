"""Speech made with espeak-ng, with known words and turn times, for tests and benchmarks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np

from minutes import audio

ESPEAK_RATE = 22_050
NORMALISE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def text_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate ignoring case and punctuation."""
    return float(
        jiwer.wer(
            reference, hypothesis, reference_transform=NORMALISE, hypothesis_transform=NORMALISE
        )
    )


@dataclass(frozen=True)
class Turn:
    voice: str
    text: str
    pitch: int = 50


@dataclass(frozen=True)
class SpokenTurn:
    voice: str
    pitch: int
    text: str
    start: float
    end: float

    @property
    def speaker(self) -> str:
        """Who this is: a voice at a pitch."""
        return f"{self.voice}@{self.pitch}"


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str = "en-us", speed: int = 150, pitch: int = 50) -> np.ndarray:
    """One utterance as int16 samples at 22.05 kHz, without espeak's own leading and trailing
    silence, so turn times are when the voice really starts and stops."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", tmp.name, text],
            check=True,
            capture_output=True,
        )
        with wave.open(tmp.name, "rb") as wav:
            assert wav.getframerate() == ESPEAK_RATE
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    voiced = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[voiced[0] : voiced[-1] + 1] if len(voiced) else samples


def write_wav(path: Path, samples: np.ndarray, rate: int = ESPEAK_RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype(np.int16).tobytes())


def dialogue(turns: list[Turn], path: Path, gap: float = 0.6) -> list[SpokenTurn]:
    """Speak `turns` one after another with `gap` seconds of silence; write a WAV."""
    pieces: list[np.ndarray] = []
    spoken: list[SpokenTurn] = []
    silence = np.zeros(int(gap * ESPEAK_RATE), dtype=np.int16)
    cursor = 0
    for turn in turns:
        pieces.append(silence)
        cursor += len(silence)
        samples = speak(turn.text, turn.voice, pitch=turn.pitch)
        spoken.append(
            SpokenTurn(
                turn.voice,
                turn.pitch,
                turn.text,
                cursor / ESPEAK_RATE,
                (cursor + len(samples)) / ESPEAK_RATE,
            )
        )
        pieces.append(samples)
        cursor += len(samples)
    pieces.append(silence)
    write_wav(path, np.concatenate(pieces))
    return spoken


TEAM_SYNC = [
    Turn("en-us", "Good morning everyone. Let's start the weekly product sync."),
    Turn(
        "en+f3",
        "Morning. The new onboarding flow went live on Tuesday and the first results look good.",
    ),
    Turn("en-us", "That is great news. What about the billing migration?"),
    Turn(
        "en+f3", "It is waiting on the tax calculation service. We need a decision on the vendor."
    ),
    Turn(
        "en-us",
        "Then let us decide today. We will go with the cheaper vendor and review it in three months.",
    ),
    Turn("en+f3", "Agreed. I will send the contract to the legal team by Friday."),
    Turn("en-us", "Thanks. I'll update the roadmap and share it with the team tomorrow."),
    Turn(
        "en+f3", "One more thing. The support queue is growing, so we should hire another engineer."
    ),
    Turn("en-us", "Good point. Please draft the job description and we can discuss it next week."),
    Turn("en+f3", "Sounds good. That is everything from my side."),
    Turn("en-us", "Great meeting everyone. See you next Monday."),
]

# A male and a female voice with short interjections between longer turns.
TWO_VOICES = [
    Turn("en-us", "Let us review the hiring plan for the data team this quarter."),
    Turn("en+f3", "We have budget for two engineers and one analyst starting in spring."),
    Turn("en-us", "Okay."),
    Turn("en+f3", "The analyst role is the most urgent because reporting is behind schedule."),
    Turn("en-us", "I agree. Can you publish the job posting before the end of the week?"),
    Turn("en+f3", "Yes."),
    Turn("en-us", "Good. I will ask finance to confirm the salary ranges tomorrow morning."),
    Turn("en+f3", "Then I will schedule the first interviews for the second week of March."),
]

# The two voices above and a third, lower and slower, told apart by pitch and timbre.
THIRD = ("en+m7", 70)
THREE_VOICES = [
    Turn("en-us", "Welcome back everyone, let us look at the launch plan for the new mobile app."),
    Turn("en+f3", "The design work is finished and the screens were approved yesterday."),
    Turn(THIRD[0], "Yeah.", THIRD[1]),
    Turn(THIRD[0], "The backend still needs two more weeks for the payment integration.", THIRD[1]),
    Turn("en-us", "Okay. Can we move the launch date to the end of next month?"),
    Turn("en+f3", "That works for marketing, we can prepare the campaign in the meantime."),
    Turn(THIRD[0], "I will write the migration guide for the support team by Wednesday.", THIRD[1]),
    Turn("en-us", "Great. Then we meet again next Monday to check the progress."),
    Turn("en+f3", "Sounds good."),
    Turn(THIRD[0], "See you then.", THIRD[1]),
]


def long_recording(hours: float, folder: Path) -> Path:
    """An `hours`-long 16 kHz WAV repeating a five-voice dialogue, written piece by piece."""
    base = folder / "base.wav"
    dialogue(TWO_VOICES + THREE_VOICES, base, gap=0.5)
    pcm = (audio.load_pcm(base) * 32767).astype(np.int16)
    target = folder / f"long-{hours:g}h.wav"
    repeats = int(np.ceil(hours * 3600 * audio.SAMPLE_RATE / len(pcm)))
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.SAMPLE_RATE)
        for _ in range(repeats):
            out.writeframes(pcm.tobytes())
    return target
