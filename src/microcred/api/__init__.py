"""The HTTP API (FastAPI routers, one per resource): read the request, call services, answer a
model of ``microcred.schemas`` or an RFC 9457 problem."""
