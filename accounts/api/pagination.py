from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "Zahl aller Treffer über alle Seiten.",
            "next": "Adresse der nächsten Seite oder `null`.",
            "previous": "Adresse der vorigen Seite oder `null`.",
            "results": "Die Einträge dieser Seite.",
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated
