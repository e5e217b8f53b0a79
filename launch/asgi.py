"""The ASGI entry point: `uvicorn launch.asgi:app`."""

from api.app import create_app

app = create_app()
