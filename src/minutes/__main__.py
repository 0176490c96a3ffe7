from minutes.cli import app

app()
