"""The visibility run's result moves from jsonb to zlib-compressed JSON (see CompressedJSONField):
a new column, the recorded runs copied into it, the old column dropped. A summary column (the
flagged groups and those of one characteristic) is added and filled for the recorded runs."""


from django.db import migrations, models

import quality.models


def compress_results(apps, schema_editor):
    VisibilityRun = apps.get_model("quality", "VisibilityRun")
    for run in VisibilityRun.objects.only("pk", "result").iterator(chunk_size=20):
        # as quality.visibility.main_groups (a migration keeps its own copy of what it runs)
        summary = {**run.result, "groups": [
            group for group in run.result.get("groups", []) if group.get("flagged_measures") or group.get("depth") == 1
        ]}
        VisibilityRun.objects.filter(pk=run.pk).update(result_compressed=run.result, summary=summary)


def decompress_results(apps, schema_editor):
    VisibilityRun = apps.get_model("quality", "VisibilityRun")
    for run in VisibilityRun.objects.only("pk", "result_compressed").iterator(chunk_size=20):
        VisibilityRun.objects.filter(pk=run.pk).update(result=run.result_compressed)


class Migration(migrations.Migration):

    dependencies = [
        ("quality", "0002_visibility"),
    ]

    operations = [
        # nullable first, so that going back can re-add the old column before refilling it
        migrations.AlterField(
            model_name="visibilityrun", name="result", field=models.JSONField(null=True, verbose_name="result"),
        ),
        migrations.AddField(
            model_name="visibilityrun",
            name="result_compressed",
            field=quality.models.CompressedJSONField(null=True, verbose_name="result"),
        ),
        migrations.AddField(
            model_name="visibilityrun",
            name="summary",
            field=quality.models.CompressedJSONField(null=True, verbose_name="summary"),
        ),
        migrations.RunPython(compress_results, decompress_results),
        migrations.RemoveField(model_name="visibilityrun", name="result"),
        migrations.RenameField(model_name="visibilityrun", old_name="result_compressed", new_name="result"),
        migrations.AlterField(
            model_name="visibilityrun",
            name="result",
            field=quality.models.CompressedJSONField(verbose_name="result"),
        ),
        migrations.AlterField(
            model_name="visibilityrun",
            name="summary",
            field=quality.models.CompressedJSONField(verbose_name="summary"),
        ),
    ]
