"""Resident portal: phone-first home with the four modules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """首页."""
    return render(request, "portal/home.html")
