"""Sangkhro dashboard: routes to the pages (each page renders its own sidebar and content)."""

import streamlit as st

from analysis.i18n import t
from pages._common import lang_for_navigation

st.set_page_config(page_title="Sangkhro สังเคราะห์", page_icon=":material/forum:", layout="wide")

# (script, label key, url path, icon): the overview is the default page at "/"
PAGES = [
    ("pages/overview.py", "page_overview", "overview", ":material/dashboard:"),
    ("pages/sessions.py", "page_sessions", "sessions", ":material/forum:"),
    ("pages/agencies.py", "page_agencies", "agencies", ":material/apartment:"),
    ("pages/themes.py", "page_themes", "themes", ":material/sell:"),
    ("pages/recommendations.py", "page_recommendations", "recommendations", ":material/checklist:"),
    ("pages/import_review.py", "page_import", "import", ":material/upload_file:"),
    ("pages/present.py", "page_present", "present", ":material/slideshow:"),
]

lang = lang_for_navigation()
st.navigation(
    [
        st.Page(script, title=t(key, lang), url_path=path, icon=icon, default=i == 0)
        for i, (script, key, path, icon) in enumerate(PAGES)
    ]
).run()
