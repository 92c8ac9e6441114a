"""Forms of the people pages. They only parse input; every rule lives in the services, whose errors
are shown beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.errors import PermissionDenied as DomainPermissionDenied
from jishiyu.people import selectors, services
from jishiyu.people.models import Household, Person, Tag
from jishiyu.regions.models import Region

REVEAL_FIELDS = (
    ("document_number", _("Document number")),
    ("phone", _("Phone")),
    ("birth_date", _("Date of birth")),
)
# The same answer whether nobody has this number or the person lives outside the actor's area.
NO_RESIDENT_IN_AREA = _("No resident in your area has this number.")
MEMBER_NOT_CHANGEABLE = _("You may not change this resident's record.")


class RegionChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


def apply_domain_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors beside the fields they name (else at the top of the form); ``aliases``
    maps a service's field name to the form field that stands for it."""
    errors: dict[str, list[Any]] = exc.errors or {"__all__": [exc.message]}
    for name, messages in errors.items():
        field = (aliases or {}).get(name, name)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


class PersonFilterForm(forms.Form):
    """居民列表筛选."""

    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    tag = forms.ChoiceField(label=_("Tag"), required=False, choices=[("", _("Any tag")), *Tag.choices])
    region = RegionChoiceField(label=_("Region"), required=False, queryset=Region.objects.none(), empty_label=_("All"))
    verified = forms.NullBooleanField(
        label=_("Verified"),
        required=False,
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Verified")), ("false", _("Not verified"))]),
    )
    has_account = forms.NullBooleanField(
        label=_("Account"),
        required=False,
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Has an account")), ("false", _("No account"))]),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(actor=actor)  # type: ignore[attr-defined]

    def filters(self) -> selectors.PersonFilters:
        if not self.is_valid():
            return selectors.PersonFilters()
        data = self.cleaned_data
        return selectors.PersonFilters(
            name=data["name"].strip(),
            tag=data["tag"],
            region=data["region"].pk if data["region"] else None,
            verified=data["verified"],
            has_account=data["has_account"],
        )


class PersonExportForm(PersonFilterForm):
    """导出: the list's filters plus the sensitive columns and a reason."""

    include_sensitive = forms.BooleanField(label=_("Include document numbers and phones"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class PersonForm(forms.Form):
    """登记居民 / 修改居民信息."""

    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=Person.Gender.choices)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_type = forms.ChoiceField(label=_("Document type"), choices=Person.DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none())
    relation_to_head = forms.CharField(label=_("Relation to head of household"), required=False, max_length=20)
    tags = forms.MultipleChoiceField(
        label=_("Tags"), required=False, choices=Tag.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actor: Any, person: Person | None = None, **kwargs: Any) -> None:
        self.actor, self.person = actor, person
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": person.name,
                    "gender": person.gender,
                    "document_type": person.document_type,
                    "region": person.region_id,
                    "relation_to_head": person.relation_to_head,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(  # type: ignore[attr-defined]
            actor=actor, permission="people.change"
        )
        if person is not None:
            # Sensitive values are never put back in the form: blank keeps the stored one.
            del self.fields["tags"]
            for name, masked in (("document_number", person.document_masked), ("phone", person.phone_masked)):
                self.fields[name].help_text = _("Now %(masked)s. Leave blank to keep it.") % {"masked": masked or "—"}
            # The full date of birth is as telling as the id number: masked here too.
            self.fields["birth_date"].help_text = _("Now %(masked)s. Leave blank to keep it.") % {
                "masked": person.birth_date_masked or "—"
            }

    def save(self) -> Person | None:
        """Call the service; on a refused rule, the errors land beside the fields and None returns."""
        data = self.cleaned_data
        try:
            if self.person is None:
                return services.person_create(
                    actor=self.actor,
                    name=data["name"],
                    document_type=data["document_type"],
                    document_number=data["document_number"],
                    phone=data["phone"],
                    region=data["region"],
                    relation_to_head=data["relation_to_head"],
                    gender=data["gender"],
                    birth_date=data["birth_date"],
                    tags=data.get("tags") or (),
                )
            changes: dict[str, Any] = {
                k: data[k] for k in ("name", "gender", "birth_date", "relation_to_head") if k in self.changed_data
            }
            if data["document_number"] or data["document_type"] != self.person.document_type:
                if data["document_number"]:
                    changes["document_number"] = data["document_number"]
                    changes["document_type"] = data["document_type"]
                elif "document_type" in self.changed_data:
                    self.add_error("document_number", _("Enter the number of the new document."))
                    return None
            if data["phone"]:
                changes["phone"] = data["phone"]
            if data["region"].pk != self.person.region_id:
                changes["region"] = data["region"]
            return services.person_update(actor=self.actor, person=self.person, **changes)
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None


class RevealForm(forms.Form):
    """查看明文: the reason is required and recorded."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. checking a subsistence application")}),
    )


class HouseholdFilterForm(forms.Form):
    """户列表筛选."""

    number = forms.CharField(label=_("Household number"), required=False, max_length=40)
    region = RegionChoiceField(label=_("Region"), required=False, queryset=Region.objects.none(), empty_label=_("All"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(actor=actor)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"number": data["number"].strip(), "region": data["region"].pk if data["region"] else None}


class HouseholdForm(forms.Form):
    """建户."""

    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none())
    number = forms.CharField(label=_("Household number"), max_length=40)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_for_choice(  # type: ignore[attr-defined]
            actor=actor, permission="people.change"
        )

    def save(self) -> Household | None:
        """Call the service; a refused rule (a number already taken) lands beside its field."""
        try:
            return services.household_create(
                actor=self.actor, region=self.cleaned_data["region"], number=self.cleaned_data["number"]
            )
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None


class HouseholdMemberForm(forms.Form):
    """入户: find a resident by document number or mobile phone (in a POST body, never a URL)."""

    # Nothing for the browser to remember: these are other people's numbers.
    document_number = forms.CharField(
        label=_("Document number"), required=False, max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    relation_to_head = forms.CharField(
        label=_("Relation to head of household"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 户主 (head of household), 配偶, 子")}),
    )

    def __init__(self, *args: Any, actor: Any, household: Household, **kwargs: Any) -> None:
        self.actor, self.household = actor, household
        super().__init__(*args, **kwargs)

    def save(self) -> Person | None:
        """Look the person up in the actor's scope, then add them; refusals land beside the number used."""
        data = self.cleaned_data
        used = "document_number" if data["document_number"] else "phone"
        try:
            person = services.person_lookup(
                actor=self.actor, document_number=data["document_number"], phone=data["phone"]
            )
            return services.household_member_add(
                actor=self.actor, household=self.household, person=person, relation_to_head=data["relation_to_head"]
            )
        except NotFound:
            self.add_error(used, NO_RESIDENT_IN_AREA)
        except DomainPermissionDenied:
            self.add_error(used, MEMBER_NOT_CHANGEABLE)
        except DomainError as exc:
            apply_domain_error(self, exc, aliases={"person": used})
        return None
