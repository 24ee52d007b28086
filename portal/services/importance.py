"""What a model looks at, for the model card and the drift page: stored importance, never
computed here (the drift job measures it once per production version)."""

from __future__ import annotations

from portal.domain.importance import InputImportance, ModelImportance
from portal.store.database import Store, as_record
from portal.store.importance_repo import ImportanceRepository


class ImportanceService:
    """Reads the input importance the drift job stored."""

    def __init__(self, store: Store) -> None:
        self.repo = ImportanceRepository(store)

    def of_model(self, model_name: str) -> list[ModelImportance]:
        """Every stored version of a model, newest version first, inputs by rank."""
        by_version: dict[int, list[InputImportance]] = {}
        for row in self.repo.inputs_of(model_name):
            by_version.setdefault(row["model_version"], []).append(as_record(InputImportance, row))
        return [
            as_record(ModelImportance, row, inputs=tuple(by_version.get(row["model_version"], ())))
            for row in self.repo.versions_of(model_name)
        ]

    def of_version(self, model_name: str, version: int) -> ModelImportance | None:
        """The version's importance, computed or failed; None while not computed yet."""
        return next(
            (item for item in self.of_model(model_name) if item.model_version == version),
            None,
        )
