"""The commands on dialogues: holding one, recording its observations, correcting them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.dialogue import Dialogue
from domain.values import (
    Actor,
    DialogueKind,
    ObservationInput,
)
from workflow.cross_checks import CrossChecks
from workflow.keys import ERASE_VALUES


class DialogueCommands(CrossChecks):
    """Dialogues (dialoger, trygghetsvandringar, enkäter) and what was heard in them."""

    def hold_dialogue(
        self,
        *,
        municipality: str,
        kind: DialogueKind,
        held_on: date,
        title: str,
        actor: Actor,
        place: str | None = None,
        participants: int | None = None,
        organisers: Sequence[str] = (),
    ) -> Dialogue:
        dialogue = Dialogue.hold(
            municipality_code=municipality,
            kind=kind,
            held_on=held_on,
            title=title,
            place=place,
            participants=participants,
            organisers=list(organisers),
            today=self.today,
            actor=actor,
        )
        self.save(dialogue)
        return dialogue

    def record_observations(
        self,
        dialogue_id: UUID,
        observations: Sequence[ObservationInput],
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> tuple[Dialogue, list[UUID]]:
        return self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.record_observations(list(observations), actor),
            expected_version,
        )

    def correct_dialogue(
        self,
        dialogue_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        def correct(dialogue: Dialogue) -> None:
            cited_by = (
                [issue.identified_on for issue in self.issues_citing(dialogue.id)]
                if "held_on" in changes or "title" in changes
                else []
            )
            dialogue.correct(
                changes=changes, reason=reason, today=self.today, actor=actor, cited_by=cited_by
            )

        dialogue, _ = self._change(Dialogue, dialogue_id, correct, expected_version)
        return dialogue

    def correct_observation(
        self,
        dialogue_id: UUID,
        observation_id: UUID,
        *,
        changes: Mapping[str, Any],
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.correct_observation(
                observation_id=observation_id, changes=changes, reason=reason, actor=actor
            ),
            expected_version,
        )
        return dialogue

    def retract_observation(
        self,
        dialogue_id: UUID,
        observation_id: UUID,
        *,
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.retract_observation(
                observation_id=observation_id, reason=reason, actor=actor
            ),
            expected_version,
        )
        return dialogue

    def erase_personal_data(
        self,
        dialogue_id: UUID,
        fields: Sequence[tuple[UUID | None, str]],
        *,
        reason: str,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Dialogue:
        """Erase free-text fields of a dialogue for good: the `PersonalDataErased` event and
        the deletion of the values (and their salts) from the store, in one transaction,
        from the record and every correction of it; then the store's files are rid of the
        freed bytes (`forget_erased`)."""

        def targets(dialogue: Dialogue, erased: list[tuple[int, str]]) -> dict[str, Any]:
            by_version: dict[int, list[str]] = {}
            for version, name in erased:
                by_version.setdefault(version, []).append(name)
            return {ERASE_VALUES: [(dialogue.id, v, names) for v, names in by_version.items()]}

        dialogue, _ = self._change(
            Dialogue,
            dialogue_id,
            lambda d: d.erase_personal_data(list(fields), reason, actor),
            expected_version,
            saving=targets,
        )
        forget = getattr(self.recorder, "forget_erased", None)
        if forget is not None:
            forget()
        return dialogue
