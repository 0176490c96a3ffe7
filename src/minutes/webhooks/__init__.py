"""Webhooks: events announced to receivers over HTTP, signed, from an outbox with retries."""
