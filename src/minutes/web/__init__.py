"""The web page the API serves at `/`: static HTML, CSS and a little JavaScript."""
