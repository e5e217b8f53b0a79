"""The tool layer's exception family.

    ToolError(tool, reason)            a tool could not produce a result
     +-- UpstreamError(system, status)  the external system answered with an error status
     |    +-- NotFound                  404, or a record that is not the customer's
     +-- UpstreamTimeout(system)        no answer in time
     +-- CredentialMissing(env_var)     the brand's credential variable is unset

Each carries a short `safe` reason for the model; the exception itself goes to the log.
"""

from __future__ import annotations


class ToolError(Exception):
    def __init__(self, safe: str) -> None:
        super().__init__(safe)
        self.safe = safe


class UpstreamError(ToolError):
    def __init__(self, system: str, status: int) -> None:
        super().__init__(f"{system} answered {status}")
        self.system = system
        self.status = status

    @property
    def transient(self) -> bool:
        return self.status == 429 or self.status >= 500


class NotFound(UpstreamError):
    def __init__(self, system: str, what: str) -> None:
        super().__init__(system, 404)
        self.safe = f"{what} was not found"


class UpstreamTimeout(ToolError):
    def __init__(self, system: str) -> None:
        super().__init__(f"{system} did not answer in time")
        self.system = system


class CredentialMissing(ToolError):
    def __init__(self, env_var: str) -> None:
        super().__init__("the store credential is not configured")
        self.env_var = env_var
