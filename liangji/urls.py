from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("liangji.web.urls")),
    path("", include("liangji.accounts.urls")),
    path("", include("liangji.registers.urls")),
    path("", include("liangji.imports.urls")),
    path("", include("liangji.indicators.urls")),
    path("dropout/", include("liangji.dropout.urls")),
    path("literacy/", include("liangji.literacy.urls")),
    path("inspection/", include("liangji.inspection.urls")),
    path("archive/", include("liangji.archive.urls")),
    path("reports/", include("liangji.reports.urls")),
]

# Error pages that never show an English exception text (Resolver404, "No … matches").
handler403 = "liangji.web.errors.permission_denied"
handler404 = "liangji.web.errors.page_not_found"
