def navigation(request):
    return {"navigation": []}
