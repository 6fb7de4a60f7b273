import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from todos import services
from todos.models import Label, Todo, TodoList


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class TodoListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TodoList

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"List {n}")


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"label{n}")
    colour = Label.colour.field.default


class TodoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Todo
        skip_postgeneration_save = True

    list = factory.SubFactory(TodoListFactory)
    description = factory.Sequence(lambda n: f"Todo {n}")
    completed = False
    completed_at = factory.LazyAttribute(lambda o: timezone.now() if o.completed else None)
    # Appends at the end of its list, as the service does.
    position = factory.LazyAttribute(lambda o: Todo.objects.filter(list=o.list).count())

    @factory.post_generation
    def labels(todo, create, extracted, **kwargs):
        """`TodoFactory(labels=[...])` puts those labels on the todo."""
        if create and extracted:
            todo.labels.set(extracted)

    @factory.post_generation
    def counts_changed(todo, create, extracted, **kwargs):
        """Raise the list's version, as the services do, so cached counts are not reused."""
        if create:
            services.todo_list_touch(list_ids=[todo.list_id])
