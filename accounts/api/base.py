"""What every API view of the portal shares: the schema class and JSON errors."""

from rest_framework.renderers import JSONRenderer

from accounts.api.schema import PortalAutoSchema


class PortalApiViewMixin:
    schema = PortalAutoSchema()

    def finalize_response(self, request, response, *args, **kwargs):
        # An error asked for as CSV or GeoJSON would be an unreadable file; it is answered in
        # the one JSON error format instead, whatever the client accepted. No renderer yet means
        # the negotiation itself failed (406), and DRF would fall back to the first one.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and (
            renderer is None or getattr(renderer, "errors_as_json", False)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
