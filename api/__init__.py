"""The open API (/api/v1/), its service tokens, webhooks and the national export."""
