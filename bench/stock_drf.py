"""Reference endpoint: the API's page of one list's todos as DRF's documentation writes it.

A `ModelSerializer`, a `ListAPIView` filtered by `?list=` (django-filter), page-number pagination and
the project's token authentication (DRF's `TokenAuthentication` looking up the hashed key, as the app has no
plaintext tokens to look up); throttles, renderers and parsers from the project's REST_FRAMEWORK.
None of the app's shortcuts: what the app's `GET /api/todos/?list=..` would cost written the stock way.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, pagination, serializers
from rest_framework.permissions import IsAuthenticated

from accounts.authentication import APITokenAuthentication
from todos.models import Label, Todo


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "colour"]


class TodoSerializer(serializers.ModelSerializer):
    labels = LabelSerializer(many=True, read_only=True)

    class Meta:
        model = Todo
        fields = [
            "id", "list", "description", "completed", "completed_at", "position", "due_date", "due_time", "priority",
            "notes", "labels", "created_at", "updated_at",
        ]  # fmt: skip


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class TodoListView(generics.ListAPIView):
    serializer_class = TodoSerializer
    authentication_classes = [APITokenAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["list"]

    def get_queryset(self):
        return Todo.objects.filter(list__owner=self.request.user).prefetch_related("labels").order_by("position", "id")
