"""The HTTP API (`minutes serve`): meetings, live progress, queue, search, speakers, web page."""
