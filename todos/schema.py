"""The OpenAPI schema of what drf-spectacular cannot read from the todos' serializers by itself."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from todos.filters import MAX_ID
from todos.models import Colour, Label
from todos.serializers import MAX_LABELS


class TodoLabelsFieldExtension(OpenApiSerializerFieldExtension):
    """A todo's `labels`: ids of the caller's labels in a request, `{id, name, colour}` objects in an answer."""

    target_class = "todos.serializers.TodoLabelsField"

    def map_serializer_field(self, auto_schema, direction):
        description = self.target.help_text
        if direction == "request":
            item = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            return {"type": "array", "items": item, "maxItems": MAX_LABELS, "description": description}
        name_length = Label._meta.get_field("name").max_length
        item = {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string", "maxLength": name_length},
                "colour": {"type": "string", "enum": Colour.values},
            },
            "required": ["id", "name", "colour"],
        }
        return {"type": "array", "items": item, "description": description}
