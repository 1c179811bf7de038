"""Forms for managing people, passwords, teams, roles and specialisms (CSRF comes with FlaskForm)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..domain.vocabulary import RoleKind
from ..services.people import PersonDetails
from .forms import optional_int


class PersonForm(FlaskForm):
    display_name = StringField("Full name", [DataRequired("Enter the person's full name"),
                                             Length(max=120, message="The name must be 120 characters or fewer")])
    username = StringField("Username", [DataRequired("Enter a username"),
                                        Length(max=80, message="The username must be 80 characters or fewer")])
    role = SelectField("Role", coerce=optional_int, validate_choice=False)
    specialism = SelectField("Specialism", coerce=optional_int, validate_choice=False)
    external_subject = StringField("Sign-in identity", [Length(max=255, message="The sign-in identity must be "
                                                                                "255 characters or fewer")])

    def offer(self, roles, specialisms) -> PersonForm:
        self.role.choices = [("", "Select a role")] + [(role.id, role.label) for role in roles]
        self.specialism.choices = [("", "None")] + [(each.id, each.label) for each in specialisms]
        return self

    def validate_role(self, field) -> None:
        if field.data is None:
            raise ValidationError("Select the person's role")

    @classmethod
    def for_person(cls, membership) -> PersonForm:
        user = membership.user
        return cls(data={"display_name": user.display_name, "username": user.username, "role": membership.role_id,
                         "specialism": membership.specialism_id, "external_subject": user.external_subject or ""})

    def details(self) -> PersonDetails:
        return PersonDetails(self.display_name.data or "", self.username.data or "", self.role.data,
                             self.specialism.data, self.external_subject.data)


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", [DataRequired("Enter a new password"),
                                              Length(max=256, message="The password must be 256 characters or fewer")])
    confirm = PasswordField("Type the new password again", [
        DataRequired("Type the new password again"), EqualTo("password", "The two passwords must match")])


class TeamForm(FlaskForm):
    name = StringField("Team name", [DataRequired("Enter the team's name"), Length(max=120)])


class RoleForm(FlaskForm):
    label = StringField("Role name", [DataRequired("Enter the role's name"), Length(max=120)])
    kind = SelectField("What the role may do", choices=[("", "Select one")] + RoleKind.choices(),
                       validate_choice=False)


class LabelForm(FlaskForm):
    label = StringField("Name", [DataRequired("Enter the name"), Length(max=120)])
