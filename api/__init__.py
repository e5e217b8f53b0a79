"""The HTTP service: FastAPI app, auth (API key -> brand), schemas, settings."""
