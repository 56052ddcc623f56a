# One date style per language (settings.FORMAT_MODULE_PATH): "13 mei 2026", with the time "13 mei
# 2026 09:30". Short dates are the same style, so a page never mixes "13-05-2026" with the words.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j F Y H:i"
