import factory
from django.contrib.auth import get_user_model

from todos import services
from todos.models import Todo, TodoList


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


class TodoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Todo
        skip_postgeneration_save = True

    list = factory.SubFactory(TodoListFactory)
    description = factory.Sequence(lambda n: f"Todo {n}")
    completed = False
    # Appends at the end of its list, as the service does.
    position = factory.LazyAttribute(lambda o: Todo.objects.filter(list=o.list).count())

    @factory.post_generation
    def counts_changed(todo, create, extracted, **kwargs):
        """Raise the list's version, as the services do, so cached counts are not reused."""
        if create:
            services.todo_list_touch(list_ids=[todo.list_id])
