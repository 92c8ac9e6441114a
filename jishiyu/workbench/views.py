"""Staff workbench: what waits for me, my region's lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台."""
    return render(request, "workbench/home.html")
