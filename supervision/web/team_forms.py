"""Forms of the team pages: how often families are discussed, and the families due for a session."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField

from ..domain.cadence import MAX_WEEKS, MIN_WEEKS
from ..domain.vocabulary import PlanLevel
from .forms import optional_int


class CadenceForm(FlaskForm):
    """One field per plan level, named by its value: the service's messages land on the right field."""

    @classmethod
    def for_weeks(cls, weeks: dict[str, int]) -> CadenceForm:
        return cls(data={level: str(value) for level, value in weeks.items()})

    def weeks(self) -> dict[str, object]:
        """Whole numbers as ints; anything else is passed on as typed for the rule to name."""
        found = {}
        for level in PlanLevel:
            text = (self[level.value].data or "").strip()
            found[level.value] = int(text) if text.isdigit() and len(text) < 4 else text
        return found

    @property
    def level_fields(self):
        return [self[level.value] for level in PlanLevel]


for _level in PlanLevel:
    setattr(CadenceForm, _level.value, StringField(f"{_level.label}: weeks between discussions"))

CADENCE_HINT = f"A whole number of weeks from {MIN_WEEKS} to {MAX_WEEKS}."


class DueFamiliesForm(FlaskForm):
    families = SelectMultipleField("Families due", coerce=optional_int, validate_choice=False)

    def offer(self, suggestions) -> DueFamiliesForm:
        self.families.choices = [(s.family.id, s.family.display_name) for s in suggestions]
        return self

    @classmethod
    def all_chosen(cls, suggestions) -> DueFamiliesForm:
        """Every family due ticked: one press adds them all."""
        return cls(formdata=None, data={"families": [s.family.id for s in suggestions]}).offer(suggestions)

    def chosen(self) -> list[int]:
        return [value for value in (self.families.data or []) if value is not None]
