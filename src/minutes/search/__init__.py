"""Semantic and full-text search across every meeting's transcript."""
