from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


@login_required
def start(request):
    return render(request, "start.html")


def about(request):
    return render(request, "about.html")


def healthz(request):
    return JsonResponse({"status": "ok"})
