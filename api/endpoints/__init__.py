"""The API's routes, one module per subject; `api.urls` mounts them on `api.core.api`."""
