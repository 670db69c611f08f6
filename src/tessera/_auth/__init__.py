"""Credentials, secrets and the flows that turn them into the bearer a request carries."""
