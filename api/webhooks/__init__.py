"""Outbound webhooks of a unit: the outbox fed from the audit trail, signed deliveries."""
