from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts import services
from accounts.models import APIToken, Profile
from core.admin import short_date, truncated


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False  # every user has one
    fields = ["time_zone", "first_day_of_week"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithProfileAdmin(UserAdmin):
    """Django's user admin, with the person's profile (time zone, first day of the week) below."""

    inlines = [ProfileInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # adding: the new user's profile is made by the signal

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.profile_time_zone_forget(user_id=form.instance.pk)  # the zone is cached (accounts.selectors)


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Tokens by name, owner and key prefix; the secret is never stored, so never shown. Revoke = delete."""

    list_display = ["short_name", "owner_name", "prefix", "created_on", "last_used_on", "expires_on", "read_only"]
    list_filter = ["read_only"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["name", "user", "prefix", "read_only", "created", "last_used_at", "expires_at"]
    readonly_fields = fields
    actions = ["revoke"]

    # Long text cut (in full in its tooltip) and dates short, so the list reads at 1280 px.

    @admin.display(description="Name", ordering="name")
    def short_name(self, token):
        return truncated(token.name, 30)

    @admin.display(description="User", ordering="user__username")
    def owner_name(self, token):
        return truncated(token.user.get_username(), 20)

    @admin.display(description="Created", ordering="created")
    def created_on(self, token):
        return short_date(token.created)

    @admin.display(description="Last used", ordering="last_used_at")
    def last_used_on(self, token):
        return short_date(token.last_used_at)

    @admin.display(description="Expires", ordering="expires_at")
    def expires_on(self, token):
        return short_date(token.expires_at)

    def has_add_permission(self, request):
        return False  # a token is made where its key can be shown once: the Account page or the API

    @admin.action(description="Revoke selected API tokens", permissions=["delete"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset:
            services.api_token_revoke(token=token)
            count += 1
        self.message_user(request, f"Revoked {count} API token(s).")
