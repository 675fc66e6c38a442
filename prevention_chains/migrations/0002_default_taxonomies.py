from django.db import migrations

from prevention_chains.taxonomy import load_defaults


def load(apps, schema_editor):
    load_defaults(
        apps.get_model("prevention_chains", "LifePhase"),
        apps.get_model("prevention_chains", "FieldOfAction"),
        apps.get_model("prevention_chains", "TargetGroup"),
        apps.get_model("prevention_chains", "ActorType"),
    )


class Migration(migrations.Migration):
    dependencies = [("prevention_chains", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
