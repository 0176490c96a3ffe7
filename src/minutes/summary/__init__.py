"""From transcript to minutes: summary, key points, decisions, action items, topics, mood."""
