"""Token authentication for REST clients: POST username and password, get a token.

Clients then send `Authorization: Token <key>`. The endpoint is throttled per client address
(scope "auth" in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) to slow down password guessing.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập"), write_only=True)
    password = serializers.CharField(
        label=_("Mật khẩu"), style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"), username=attrs["username"], password=attrs["password"]
        )
        # authenticate() also returns None for a deactivated account: same answer, so the
        # response does not tell which accounts exist.
        if user is None:
            raise serializers.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid-credentials"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


_error_response = inline_serializer(
    name="AuthTokenError",
    fields={"code": serializers.CharField(), "errors": serializers.DictField()},
)


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the account's API token (created on first use)."""

    serializer_class = TokenCredentialsSerializer
    # Credentials travel in the body; a browser session must not make this POST need a CSRF token.
    authentication_classes = ()
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_token_create",
        summary="Lấy token API",
        description=(
            "Đổi tên đăng nhập và mật khẩu lấy token; gửi kèm mỗi yêu cầu trong tiêu đề "
            "`Authorization: Token <token>`. Mỗi tài khoản có một token, lần gọi sau trả lại token cũ."
        ),
        tags=["auth"],
        auth=[],
        request=TokenCredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                _error_response,
                description="Thiếu trường hoặc sai thông tin đăng nhập (code: invalid-credentials).",
                examples=[
                    OpenApiExample(
                        "WrongPassword",
                        summary="Sai mật khẩu",
                        value={
                            "code": "invalid-credentials",
                            "errors": {"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]},
                        },
                    )
                ],
            ),
            429: OpenApiResponse(description="Quá nhiều lần thử; chờ rồi thử lại (code: throttled)."),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
