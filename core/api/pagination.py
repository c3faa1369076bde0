"""Every list the API answers is paged: `?page=` and `?page_size=` (at most `max_page_size`), in
`{count, next, previous, results}`; nothing is cut off without the app being told. A view that
pages names this class as its `pagination_class`, from which the schema documents the page's
parameters and shape (drf-spectacular reads it on any view whose response is a list)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
