"""Tools grouped by the system they call, the HTTP clients, and the sanitiser every tool output passes."""
