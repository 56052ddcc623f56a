# One date style per language (settings.FORMAT_MODULE_PATH): "13 May 2026", with the time "13 May
# 2026 09:30" (not Django's default "May 13, 2026" or "Jan. 24, 2027").
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j F Y H:i"
