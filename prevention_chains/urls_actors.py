"""Pages of actors, networks, cooperation links, the network view and the taxonomy
maintenance (see prevention_chains.urls; all under /praeventionskette/)."""

from django.urls import path

from prevention_chains import views_actors as actors
from prevention_chains import views_taxonomy as taxonomy

urlpatterns = [
    # Begriffslisten (state office); <kind>: lebensphasen, handlungsfelder, zielgruppen,
    # akteurstypen.
    path("begriffe/", taxonomy.taxonomy_overview, name="taxonomy_overview"),
    path("begriffe/<slug:kind>/neu/", taxonomy.taxonomy_term_create, name="taxonomy_term_create"),
    path("begriffe/<slug:kind>/<int:pk>/", taxonomy.taxonomy_term_edit, name="taxonomy_term_edit"),
    path(
        "begriffe/<slug:kind>/<int:pk>/loeschen/",
        taxonomy.taxonomy_term_delete,
        name="taxonomy_term_delete",
    ),
    path(
        "begriffe/<slug:kind>/<int:pk>/verschieben/",
        taxonomy.taxonomy_term_move,
        name="taxonomy_term_move",
    ),
    # Akteure
    path("akteure/<int:pk>/", actors.actor_detail, name="actor_detail"),
    path("akteure/<int:pk>/bearbeiten/", actors.actor_edit, name="actor_edit"),
    path("akteure/<int:pk>/loeschen/", actors.actor_delete, name="actor_delete"),
    path("<slug:slug>/akteure/", actors.actor_list, name="actor_list"),
    path("<slug:slug>/akteure/neu/", actors.actor_create, name="actor_create"),
    # Netzwerke und Gremien
    path("netzwerke/<int:pk>/", actors.network_detail, name="network_detail"),
    path("netzwerke/<int:pk>/bearbeiten/", actors.network_edit, name="network_edit"),
    path("netzwerke/<int:pk>/loeschen/", actors.network_delete, name="network_delete"),
    path("netzwerke/<int:pk>/mitglieder/", actors.network_member_add, name="network_member_add"),
    path(
        "netzwerke/<int:pk>/mitglieder/<int:membership_pk>/entfernen/",
        actors.network_member_remove,
        name="network_member_remove",
    ),
    path("<slug:slug>/netzwerke/", actors.network_list, name="network_list"),
    path("<slug:slug>/netzwerke/neu/", actors.network_create, name="network_create"),
    # Kooperationen und Netzwerkansicht
    path("kooperationen/<int:pk>/loeschen/", actors.cooperation_delete, name="cooperation_delete"),
    path("<slug:slug>/kooperationen/", actors.cooperation_list, name="cooperation_list"),
    path("<slug:slug>/kooperationen/neu/", actors.cooperation_create, name="cooperation_create"),
    path("<slug:slug>/netzwerkansicht/", actors.network_graph, name="network_graph"),
]
