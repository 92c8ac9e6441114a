"""Forms of the deliberation pages (parse only; the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.deliberation.models import MATTER_CHOICES, Ballot, Meeting
from jishiyu.regions.models import Building, Entrance, Region


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VoteCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("The proposal, in plain words"),
        help_text=_("What will be done, by whom, at what cost and paid from where. Owners read this before they vote."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    matter = forms.TypedChoiceField(label=_("Matter (art. 278 item)"), choices=MATTER_CHOICES, coerce=int)
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings (none: the whole compound)"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    entrances = forms.ModelMultipleChoiceField(
        label=_("Entrances to include"),
        queryset=Entrance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, compound: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buildings"].queryset = Building.objects.filter(compound=compound).order_by("number")  # type: ignore[attr-defined]
        self.fields["entrances"].queryset = (  # type: ignore[attr-defined]
            Entrance.objects.filter(building__compound=compound)
            .select_related("building")
            .order_by("building__number", "number")
        )


class VoteDocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=120)
    file = forms.FileField(label=_("File (PDF, Word, text or image, at most 10 MB)"))


class PaperBallotForm(forms.Form):
    dwelling = forms.CharField(label=_("Dwelling (building-entrance-number, e.g. 3-2-501)"), max_length=40)
    choice = forms.ChoiceField(label=_("Choice"), choices=Ballot.Choice.choices)
    reference = forms.CharField(label=_("Paper ballot number"), max_length=40, required=False)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Follow-up action"), max_length=120)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.IntegerField(label=_("Responsible party"), required=False, widget=forms.Select)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), max_length=500)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    quorum_basis = forms.ChoiceField(
        label=_("Quorum counted by"), choices=Meeting.QuorumBasis.choices, initial=Meeting.QuorumBasis.PEOPLE
    )
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    topic = forms.IntegerField(label=_("Topic"), required=False, widget=forms.Select)


class MeetingRecordForm(forms.Form):
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    minutes = forms.FileField(label=_("Minutes (file)"), required=False)
    entitled = forms.IntegerField(label=_("Entitled to attend"), min_value=0, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    agreed = forms.IntegerField(label=_("Agreed"), min_value=0, required=False)


class AttendanceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    party = forms.IntegerField(label=_("Party"), required=False, widget=forms.Select)


class PartyMemberForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number of the member's account"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=60, required=False)
