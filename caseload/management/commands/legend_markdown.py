from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from caseload import legend


def legend_markdown() -> str:
    lines = [
        "# Legend: what every field and figure means",
        "",
        "Generated from the application's legend registry (`python manage.py legend_markdown`);",
        "the pages show the same text. Do not edit by hand.",
        "",
    ]
    for title, definitions in legend.grouped():
        lines += [f"## {title}", ""]
        for entry in definitions:
            lines.append(f"- **{entry.label}** (`{entry.key}`): {entry.text}")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Write the legend (every field and figure definition) as Markdown, for the docs."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/legend.md")
        parser.add_argument("--language", default="en")

    def handle(self, output, language, **options):
        with translation.override(language):
            text = legend_markdown()
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
