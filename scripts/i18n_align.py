"""Align zh_Hans catalogues: where one msgid is translated two ways, every catalogue takes the translation
Django actually shows (LOCALE_PATHS first, then INSTALLED_APPS order). Usage: python scripts/i18n_align.py"""

import os
import sys

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

order = []
for app in settings.INSTALLED_APPS:
    if app.startswith("jishiyu."):
        order.append(f"{ROOT}/jishiyu/{app.split('.')[1]}/locale/zh_Hans/LC_MESSAGES/django.po")
order = [f"{ROOT}/locale/zh_Hans/LC_MESSAGES/django.po", *order]  # LOCALE_PATHS win first
chosen = {}
for f in order:
    if not os.path.exists(f):
        continue
    for e in polib.pofile(f):
        if e.msgstr and not e.msgid_plural and "fuzzy" not in e.flags:
            chosen.setdefault((e.msgctxt, e.msgid), e.msgstr)
for f in order:
    if not os.path.exists(f):
        continue
    po = polib.pofile(f)
    ch = False
    for e in po:
        k = (e.msgctxt, e.msgid)
        if e.msgstr and k in chosen and e.msgstr != chosen[k]:
            print(f.split("/")[-5], e.msgid, e.msgstr, "->", chosen[k])
            e.msgstr = chosen[k]
            ch = True
    if ch:
        po.save(f)
