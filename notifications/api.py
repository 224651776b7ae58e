"""`/api/v1/notifications/`: the caller's own notifications (a signed-in user or a personal
token) — list (filters `unread`, `kind`, `updated_after`), one, the unread count, mark one or all
read. Someone else's notification answers 404."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import refuse_missing_method
from notifications import registry, workflow
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="reminder.kind", read_only=True)
    kind_label = serializers.SerializerMethodField()
    text = serializers.CharField(source="reminder.text", read_only=True)
    url = serializers.CharField(source="reminder.url", read_only=True)
    committee = serializers.IntegerField(source="reminder.committee_id", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "text",
            "url",
            "committee",
            "read",
            "read_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, notification) -> str:
        return registry.label(notification.reminder.kind)

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.CharFilter(field_name="reminder__kind")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


UnreadCount = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
Marked = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """我的通知: reminders delivered to the caller, newest first."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter

    def check_permissions(self, request):
        refuse_missing_method(request, self)
        super().check_permissions(request)

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).select_related("reminder")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read (already read: unchanged)."""
        notification = self.get_object()
        workflow.mark_read(request.user, notification.pk)
        return Response(NotificationSerializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(request=None, responses=Marked)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notification of the caller read; answers how many."""
        return Response({"marked": workflow.mark_all_read(request.user)})

    @extend_schema(responses=UnreadCount)
    @action(
        detail=False,
        methods=["get"],
        url_path="unread-count",
        filter_backends=[],
        pagination_class=None,
    )
    def unread_count(self, request):
        """How many of the caller's notifications are unread (the badge of the top bar)."""
        return Response({"unread": self.get_queryset().filter(read_at=None).count()})


def register(router) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
