from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from monitoring.imports.services import max_upload_bytes


class UploadForm(forms.Form):
    datei = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datei"].help_text = _(
            "Eine Zeile je Indikator, Sozialraum und Jahr mit den Spalten Indikator, "
            "Sozialraum, Jahr, Zähler und Nenner; höchstens %(limit)s."
        ) % {"limit": filesizeformat(max_upload_bytes())}


class StartImportForm(forms.Form):
    nur_gueltige = forms.BooleanField(
        label=pgettext_lazy(
            "import", "Ja, nur die gültigen Zeilen importieren; die fehlerhaften Zeilen fehlen dann"
        ),
        required=False,
    )

    def __init__(self, *args, has_errors: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_errors = has_errors
        if not has_errors:
            del self.fields["nur_gueltige"]

    def clean(self):
        cleaned = super().clean()
        if self.has_errors and not cleaned.get("nur_gueltige"):
            self.add_error(
                "nur_gueltige",
                _(
                    "Die Datei hat fehlerhafte Zeilen. Bestätigen Sie, dass nur die gültigen "
                    "Zeilen importiert werden sollen, oder korrigieren Sie die Datei."
                ),
            )
        return cleaned


class DiscardForm(forms.Form):
    bestaetigt = forms.BooleanField(
        label=_("Ja, diese Datei verwerfen, ohne etwas zu importieren"), required=True
    )
