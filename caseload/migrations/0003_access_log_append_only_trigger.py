"""On PostgreSQL, the access log is append-only in the database too (issue #8): no DELETE of a
row, and an UPDATE may only pseudonymise the client (number, path) or clear a deleted user."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION caseload_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'caseload_accesslog is append-only';
    END IF;
    IF NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.action <> OLD.action OR NEW.username <> OLD.username
       OR (NEW.user_id IS NOT NULL AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        RAISE EXCEPTION 'caseload_accesslog is append-only (only pseudonymisation is allowed)';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS caseload_accesslog_append_only ON caseload_accesslog;
CREATE TRIGGER caseload_accesslog_append_only BEFORE UPDATE OR DELETE ON caseload_accesslog
    FOR EACH ROW EXECUTE FUNCTION caseload_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS caseload_accesslog_append_only ON caseload_accesslog;
DROP FUNCTION IF EXISTS caseload_accesslog_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0002_security_access_log_history"),
    ]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
