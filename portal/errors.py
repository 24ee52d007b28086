"""The portal's error types, each with the catalog key of the message a reader sees.

Services raise them; the interface turns them into messages in one place
(`portal.ui.forms.error_lines`), the command line into one line and an exit code.
"""

from __future__ import annotations

from typing import Any

from portal.domain.validation import Problem


class PortalError(Exception):
    """An expected failure with a message in the reader's language."""

    message_key = "error.unexpected"

    def message_values(self) -> dict[str, Any]:
        """The placeholders of the message."""
        return {}


class NotAllowed(PortalError, PermissionError):
    """The acting person may not take an action; str() names the action and the role needed."""

    def __init__(self, action: str, role: str) -> None:
        super().__init__(f"{action} needs the role '{role}'")
        self.action = action
        self.role = role

    @property
    def message_key(self) -> str:  # type: ignore[override]
        """Each action says who may take it: 'Only the model's owners can set its benchmarks.'"""
        return "not_allowed." + self.action.replace(".", "_")


class InvalidInput(PortalError, ValueError):
    """A form cannot be stored; each problem names its field and reason."""

    message_key = "error.invalid_input"

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


class UnknownModel(PortalError, LookupError):
    """No active model has the given name."""

    message_key = "error.unknown_model"

    def __init__(self, name: str) -> None:
        super().__init__(f"no model is named {name!r}")
        self.name = name

    def message_values(self) -> dict[str, Any]:
        return {"name": self.name}


class UnknownFeedback(PortalError, LookupError):
    """No feedback has the given id."""

    message_key = "error.unknown_feedback"


class UnknownIncident(PortalError, LookupError):
    """No incident has the given reference."""

    message_key = "error.unknown_incident"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference

    def message_values(self) -> dict[str, Any]:
        return {"reference": self.reference}


class ReportUnavailable(PortalError, LookupError):
    """A PDF was asked for a model that went away between drawing the button and pressing it."""

    message_key = "error.report_unavailable"


class StoreUnavailable(PortalError, RuntimeError):
    """The store file cannot be opened; the message says why and what to do."""

    message_key = "error.store_unavailable"  # shown to every reader: no path, no detail


class StoreLocked(StoreUnavailable):
    """Another process (usually the running portal server) holds the store."""


class StoreDamaged(StoreUnavailable):
    """The store file cannot be read (cut short, damaged blocks): it must be restored."""

    message_key = "store_file.damaged"

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(
            f"The store {path} cannot be read: the file is damaged ({detail}). Stop the portal "
            "and restore it from a backup (README: Backup and restore)."
        )
        self.detail = detail

    def message_values(self) -> dict[str, Any]:
        return {}


class BackupFailed(PortalError, RuntimeError):
    """A copy of the store could not be written (e.g. the target's disk is full)."""

    message_key = "store_file.backup_failed"

    def message_values(self) -> dict[str, Any]:
        return {"reason": str(self)}


class QueryTimeout(PortalError, RuntimeError):
    """A store query ran longer than its time limit and was interrupted."""

    message_key = "error.query_timeout"


class SettingsError(PortalError, ValueError):
    """A setting has a value that cannot be used; the message names the setting."""

    message_key = "error.settings"

    def message_values(self) -> dict[str, Any]:
        return {"reason": str(self)}
