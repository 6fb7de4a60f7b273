"""Forms that check the shape of what the pages post (plain or through htmx); the services hold the rules."""

from django import forms

from core.search import search_terms
from todos.models import NOTES_MAX_LENGTH, Label, Priority, Todo, TodoList

NAME_MAX_LENGTH = TodoList._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = Todo._meta.get_field("description").max_length
LABEL_NAME_MAX_LENGTH = Label._meta.get_field("name").max_length


class StrictBooleanField(forms.Field):
    """A boolean, or the strings a form posts ("true"/"false", "1"/"0", "on"); anything else is an error."""

    default_error_messages = {"invalid": "Enter true or false."}
    TRUE_VALUES = ("true", "True", "1", "on")
    FALSE_VALUES = ("false", "False", "0")

    def to_python(self, value):
        if value is True or value is False:
            return value
        if value in self.empty_values:
            return None
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class TodoListForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH)


class TodoListCompletedForm(forms.Form):
    completed = StrictBooleanField()


class TodoListSharedForm(forms.Form):
    shared = StrictBooleanField()


class TodoCreateForm(forms.Form):
    description = forms.CharField(max_length=DESCRIPTION_MAX_LENGTH)


class TodoUpdateForm(forms.Form):
    """Any subset of a todo's fields; the view passes on only the ones that were sent.

    The todo's own edit page sends every field it shows and `every_field`: there an empty date or time
    clears it and no label ticked takes them all off (a form posts nothing for no box ticked).
    """

    description = forms.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False)
    completed = StrictBooleanField(required=False)
    position = forms.IntegerField(min_value=0, required=False)
    list = forms.ModelChoiceField(queryset=TodoList.objects.none(), required=False, label="List")
    due_date = forms.DateField(
        required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    due_time = forms.TimeField(
        required=False, label="Due time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    priority = forms.ChoiceField(choices=Priority.choices, required=False, label="Priority")
    notes = forms.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 5})
    )
    labels = forms.ModelMultipleChoiceField(
        queryset=Label.objects.none(), required=False, label="Labels", widget=forms.CheckboxSelectMultiple
    )
    add_label = forms.CharField(
        max_length=LABEL_NAME_MAX_LENGTH,
        required=False,
        label="Add a label",
        help_text="One of yours, or a new one.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    every_field = StrictBooleanField(required=False, widget=forms.HiddenInput)

    CLEARABLE = ("due_date", "due_time", "notes", "labels")
    NOT_FIELDS_OF_THE_TODO = ("every_field", "add_label")

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the owner's lists and labels are valid choices: another user's id is "not a valid choice".
        self.fields["list"].queryset = TodoList.objects.for_owner(owner).only("id", "name", "owner_id")
        self.fields["labels"].queryset = Label.objects.for_owner(owner)
        # Offers the owner's label names as it is typed in (the template's <datalist> of this id).
        self.fields["add_label"].widget.attrs["list"] = self.label_names_id()

    def label_names_id(self) -> str:
        return f"{self['add_label'].auto_id or 'add_label'}_names"

    def added_label_names(self) -> tuple[str, ...]:
        """The label to add by name (`add_label`), as names for services.label_ensure."""
        name = (self.cleaned_data.get("add_label") or "").strip()
        return (name,) if name else ()

    def changes(self):
        """The cleaned values of the fields present in the submitted data, as `todo_update` arguments."""
        every_field = self.cleaned_data.get("every_field")
        changes = {}
        for name, value in self.cleaned_data.items():
            if name in self.NOT_FIELDS_OF_THE_TODO:
                continue
            if every_field and name in self.CLEARABLE:
                changes[name] = list(value) if name == "labels" else value
                continue
            if name not in self.data or value is None:
                continue
            changes["todo_list" if name == "list" else name] = list(value) if name == "labels" else value
        return changes


class SearchForm(forms.Form):
    """The search page's query: within the bounds the API's `?search=` has (core.search)."""

    q = forms.CharField(required=False, label="Search")

    def clean_q(self):
        query = self.cleaned_data["q"]
        self.terms = search_terms(query)
        return query
