"""The catalogue's rows of dialogues and observations (never an observation's `note`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from domain.dialogue import Dialogue
from projections.catalogue_rows import CatalogueRows
from projections.dialect import ViewCursor
from projections.framework import Item, handles, handles_stored

if TYPE_CHECKING:
    from projections.stored_page import StoredPage


#: What a rebuild reads of an `ObservationRecorded` straight from its stored state.
_OBSERVATION_FIELDS = ("observation_id", "theme", "summary", "place", "count")
_INSERT_OBSERVATION = (
    "INSERT INTO observations (id, dialogue_id, seq, theme, summary, place, count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_COUNT_OBSERVATIONS = (
    "UPDATE dialogues SET observations = observations + ?, mentions = mentions + ?, "
    "version = ? WHERE id = ?"
)


class DialogueRows(CatalogueRows):
    """Dialogues and their observations, as the catalogue lists and counts them."""

    #: A rebuild's counts of the latest run of one dialogue's observations, not yet written:
    #: dialogue id, observations, mentions, version.
    _counts: list[Any] | None = None

    @handles(Dialogue.DialogueHeld)
    def on_DialogueHeld(self, c: ViewCursor, e: Dialogue.DialogueHeld, position: int) -> None:
        c.execute(
            "INSERT INTO dialogues (id, seq, municipality, kind, held_on, year, title, place, "
            "participants, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(e.originator_id),
                position,
                e.municipality,
                e.kind.value,
                e.held_on.isoformat(),
                e.held_on.year,
                e.title,
                e.place,
                e.participants,
                e.originator_version,
            ),
        )

    @handles(Dialogue.ObservationRecorded)
    def on_ObservationRecorded(
        self, c: ViewCursor, e: Dialogue.ObservationRecorded, position: int
    ) -> None:
        self._observation(
            c,
            position,
            str(e.originator_id),
            e.originator_version,
            [str(e.observation_id), e.theme.value, e.summary, e.place, e.count],
        )

    @handles_stored(Dialogue.ObservationRecorded)
    def stored_ObservationRecorded(self, c: ViewCursor, page: StoredPage, index: int) -> bool:
        """The hot path of a rebuild: most events of a store are observations, recorded a
        dialogue's at a time, so the dialogue's counts are added up over the run and
        written once (`settle`)."""
        values = page.fields(index, _OBSERVATION_FIELDS)
        if values is None:
            return False
        position, dialogue_id, version = page.rows[index][:3]
        observation_id, theme, summary, place, count = values
        c.execute(_INSERT_OBSERVATION, (observation_id, dialogue_id, position, theme, summary,
                                        place, count))  # fmt: skip
        counts = self._counts
        if counts is not None and counts[0] == dialogue_id:
            counts[1] += 1
            counts[2] += count
            counts[3] = version
        else:
            self.settle(c)
            self._counts = [dialogue_id, 1, count, version]
        return True

    def settle(self, cursor: ViewCursor | None) -> None:
        counts, self._counts = self._counts, None
        if counts is not None and cursor is not None:
            dialogue_id, observations, mentions, version = counts
            cursor.execute(_COUNT_OBSERVATIONS, (observations, mentions, version, dialogue_id))

    def _observation(
        self, c: ViewCursor, position: int, dialogue_id: str, version: int, values: list[Any]
    ) -> None:
        """An observation's row, and its dialogue's counts: `values` as `_OBSERVATION_FIELDS`."""
        observation_id, theme, summary, place, count = values
        c.execute(
            _INSERT_OBSERVATION,
            (observation_id, dialogue_id, position, theme, summary, place, count),
        )
        c.execute(_COUNT_OBSERVATIONS, (1, count, version, dialogue_id))

    def process_batch(self, items: Sequence[Item], after: int | None = None) -> int:
        """As every view; after a batch that erased values, the freed bytes leave the file."""
        applied = super().process_batch(items, after)
        if applied and any(isinstance(event, Dialogue.PersonalDataErased) for event, _ in items):
            self._forget_freed()
        return applied

    def process_page(self, page: StoredPage, after: int | None = None) -> int:
        """As `process_batch`, for a rebuild's page of stored events."""
        applied = super().process_page(page, after)
        if applied and page.holds(Dialogue.PersonalDataErased):
            self._forget_freed()
        return applied

    def _forget_freed(self) -> None:
        forget = getattr(self.datastore, "forget_freed", None)
        if forget is not None:
            forget()

    @handles(Dialogue.PersonalDataErased)
    def on_PersonalDataErased(
        self, c: ViewCursor, e: Dialogue.PersonalDataErased, position: int
    ) -> None:
        """Erased values go from the view too (title and place; the view keeps no note)."""
        for item in e.fields:
            name = item["field"]
            if item["observation_id"] is None and name in ("title", "place"):
                c.execute(
                    f"UPDATE dialogues SET {name} = NULL WHERE id = ?", (str(e.originator_id),)
                )
            elif item["observation_id"] is not None and name in ("summary", "place"):
                c.execute(
                    f"UPDATE observations SET {name} = NULL WHERE id = ?", (item["observation_id"],)
                )
        c.execute(
            "UPDATE dialogues SET version = ? WHERE id = ?",
            (e.originator_version, str(e.originator_id)),
        )

    @handles(Dialogue.DialogueCorrected)
    def on_DialogueCorrected(
        self, c: ViewCursor, e: Dialogue.DialogueCorrected, position: int
    ) -> None:
        changed = e.changed()
        columns: dict[str, Any] = {}
        if "kind" in changed:
            columns["kind"] = changed["kind"].value
        if "held_on" in changed:
            columns["held_on"] = changed["held_on"].isoformat()
            columns["year"] = changed["held_on"].year
        for name in ("title", "place", "participants"):
            if name in changed:
                columns[name] = changed[name]
        self._update(c, "dialogues", str(e.originator_id), columns, e.originator_version)

    @handles(Dialogue.ObservationCorrected)
    def on_ObservationCorrected(
        self, c: ViewCursor, e: Dialogue.ObservationCorrected, position: int
    ) -> None:
        changed = e.changed()
        observation_id = str(e.observation_id)
        if "count" in changed:
            c.execute("SELECT count FROM observations WHERE id = ?", (observation_id,))
            change = changed["count"] - int(c.fetchone()[0])
            c.execute(
                "UPDATE dialogues SET mentions = mentions + ? WHERE id = ?",
                (change, str(e.originator_id)),
            )
        columns = {
            name: value.value if name == "theme" else value
            for name, value in changed.items()
            if name in ("theme", "summary", "place", "count")
        }
        if columns:
            assignments = ", ".join(f"{name} = ?" for name in columns)
            c.execute(
                f"UPDATE observations SET {assignments} WHERE id = ?",
                (*columns.values(), observation_id),
            )
        self._update(c, "dialogues", str(e.originator_id), {}, e.originator_version)

    @handles(Dialogue.ObservationRetracted)
    def on_ObservationRetracted(
        self, c: ViewCursor, e: Dialogue.ObservationRetracted, position: int
    ) -> None:
        observation_id = str(e.observation_id)
        c.execute("SELECT count FROM observations WHERE id = ?", (observation_id,))
        count = int(c.fetchone()[0])
        c.execute("UPDATE observations SET retracted = 1 WHERE id = ?", (observation_id,))
        c.execute(
            "UPDATE dialogues SET observations = observations - 1, mentions = mentions - ?, "
            "version = ? WHERE id = ?",
            (count, e.originator_version, str(e.originator_id)),
        )
