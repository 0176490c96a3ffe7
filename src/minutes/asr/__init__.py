"""Speech recognition backends the transcribe stage can use besides the local model."""
