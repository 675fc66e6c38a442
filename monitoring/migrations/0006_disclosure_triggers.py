"""Triggers that record which disclosure groups (municipality × indicator × period) changed
input, and the first fill of the stored cells.

Every write path is covered by the database itself – the portal's services, the import's
upsert, bulk writes, the admin, SQL by hand – so a forgotten call to refresh_disclosure can
make a read slower (it computes the stale group afresh), never wrong.
"""

from django.db import migrations


def mark(select: str) -> str:
    # DO UPDATE (not DO NOTHING): it waits for a refresh that is deleting the same mark and
    # then inserts it anew, so a change committed during a refresh is never lost.
    return (
        "INSERT INTO monitoring_staledisclosuregroup (municipality_id, indicator_id, period) "
        + select
        + " ON CONFLICT (municipality_id, indicator_id, period) DO UPDATE SET period = EXCLUDED.period;"
    )


MARK_OBSERVATIONS = mark("""
    SELECT DISTINCT s.municipality_id, c.indicator_id, c.period
      FROM changed_observations c
      JOIN municipalities_sozialraum s ON s.id = c.sozialraum_id""")

# k decides primary suppression in every group of the indicator.
MARK_INDICATOR = mark("""
    SELECT DISTINCT s.municipality_id, o.indicator_id, o.period
      FROM monitoring_observation o
      JOIN municipalities_sozialraum s ON s.id = o.sozialraum_id
     WHERE o.indicator_id = NEW.id""")

# A Sozialraum's place in the tree (parent, validity) shapes every group of its municipality,
# and its code the order of the stored cells; the stored totals (one per group) name them.
MARK_MUNICIPALITY = mark("""
    SELECT DISTINCT c.municipality_id, c.indicator_id, c.period
      FROM monitoring_disclosedcell c
     WHERE c.municipality_id = ANY(affected) AND c.sozialraum_id IS NULL""")

# Existing data: every group is stale until the fill below has computed it.
MARK_EVERYTHING = mark("""
    SELECT DISTINCT s.municipality_id, o.indicator_id, o.period
      FROM monitoring_observation o
      JOIN municipalities_sozialraum s ON s.id = o.sozialraum_id""")

OBSERVATION_TRIGGERS = "".join(
    f"""
CREATE TRIGGER monitoring_observation_{name} AFTER {event} ON monitoring_observation
    REFERENCING {table} TABLE AS changed_observations
    FOR EACH STATEMENT EXECUTE FUNCTION monitoring_mark_observation_groups();"""
    for name, event, table in [
        ("inserted", "INSERT", "NEW"),
        ("updated_new", "UPDATE", "NEW"),  # a changed key leaves one group and enters another
        ("updated_old", "UPDATE", "OLD"),
        ("deleted", "DELETE", "OLD"),
    ]
)

FORWARD = (
    """
CREATE FUNCTION monitoring_mark_observation_groups() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
"""
    + MARK_OBSERVATIONS
    + """
    RETURN NULL;
END $$;
"""
    + OBSERVATION_TRIGGERS
    + """
CREATE FUNCTION monitoring_mark_indicator_groups() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
"""
    + MARK_INDICATOR
    + """
    RETURN NULL;
END $$;

CREATE TRIGGER monitoring_indicator_min_cases AFTER UPDATE OF min_cases ON monitoring_indicator
    FOR EACH ROW WHEN (OLD.min_cases IS DISTINCT FROM NEW.min_cases)
    EXECUTE FUNCTION monitoring_mark_indicator_groups();

CREATE FUNCTION monitoring_mark_sozialraum_groups() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    affected bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        affected := ARRAY[NEW.municipality_id];
    ELSIF TG_OP = 'DELETE' THEN
        affected := ARRAY[OLD.municipality_id];
    ELSE
        affected := ARRAY[OLD.municipality_id, NEW.municipality_id];
    END IF;
"""
    + MARK_MUNICIPALITY
    + """
    RETURN NULL;
END $$;

CREATE TRIGGER monitoring_sozialraum_inserted_deleted
    AFTER INSERT OR DELETE ON municipalities_sozialraum
    FOR EACH ROW EXECUTE FUNCTION monitoring_mark_sozialraum_groups();
CREATE TRIGGER monitoring_sozialraum_updated
    AFTER UPDATE OF municipality_id, parent_id, valid_from, valid_to, code
    ON municipalities_sozialraum
    FOR EACH ROW WHEN (
        (OLD.municipality_id, OLD.parent_id, OLD.valid_from, OLD.valid_to, OLD.code)
        IS DISTINCT FROM (NEW.municipality_id, NEW.parent_id, NEW.valid_from, NEW.valid_to, NEW.code)
    )
    EXECUTE FUNCTION monitoring_mark_sozialraum_groups();
"""
    + MARK_EVERYTHING
)

BACKWARD = """
DROP TRIGGER monitoring_sozialraum_updated ON municipalities_sozialraum;
DROP TRIGGER monitoring_sozialraum_inserted_deleted ON municipalities_sozialraum;
DROP FUNCTION monitoring_mark_sozialraum_groups();
DROP TRIGGER monitoring_indicator_min_cases ON monitoring_indicator;
DROP FUNCTION monitoring_mark_indicator_groups();
DROP TRIGGER monitoring_observation_deleted ON monitoring_observation;
DROP TRIGGER monitoring_observation_updated_old ON monitoring_observation;
DROP TRIGGER monitoring_observation_updated_new ON monitoring_observation;
DROP TRIGGER monitoring_observation_inserted ON monitoring_observation;
DROP FUNCTION monitoring_mark_observation_groups();
"""


def fill(apps, schema_editor):
    # The one implementation, as it stands; on a new database there is nothing to compute.
    if not apps.get_model("monitoring", "StaleDisclosureGroup").objects.exists():
        return
    from monitoring.disclosure_cells import refresh_disclosure

    refresh_disclosure()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_disclosed_cells")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
