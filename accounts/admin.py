from django.contrib import admin

from accounts import services
from accounts.models import APIToken


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Tokens by name, owner and key prefix; the secret is never stored, so never shown. Revoke = delete."""

    list_display = ["name", "user", "prefix", "created", "last_used_at", "expires_at", "read_only"]
    list_filter = ["read_only"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["name", "user", "prefix", "read_only", "created", "last_used_at", "expires_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is made where its key can be shown once: the Account page or the API

    @admin.action(description="Revoke selected API tokens", permissions=["delete"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset:
            services.api_token_revoke(token=token)
            count += 1
        self.message_user(request, f"Revoked {count} API token(s).")
