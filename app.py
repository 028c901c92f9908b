"""Sangkhro dashboard: who is here (pages/_auth.py: the refusal, the sign-in), then routes to the
pages this person's role may open (each page renders its own sidebar and content)."""

from pathlib import Path

import streamlit as st

from analysis.auth import Role
from analysis.i18n import t
from pages import _auth
from pages._common import lang_for_navigation

# the tab icon is a file shipped with the app: a Material/emoji icon would be fetched from a web
# font service, so an offline or intranet server would show none
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
st.set_page_config(page_title="Sangkhro สังเคราะห์", page_icon=str(FAVICON), layout="wide")

# (script, label key, url path, icon, role needed): the overview is the default page at "/"
PAGES = [
    ("pages/overview.py", "page_overview", "overview", ":material/dashboard:", Role.VIEWER),
    ("pages/sessions.py", "page_sessions", "sessions", ":material/forum:", Role.VIEWER),
    ("pages/agencies.py", "page_agencies", "agencies", ":material/apartment:", Role.VIEWER),
    ("pages/themes.py", "page_themes", "themes", ":material/sell:", Role.VIEWER),
    (
        "pages/recommendations.py",
        "page_recommendations",
        "recommendations",
        ":material/checklist:",
        Role.VIEWER,
    ),
    ("pages/import_review.py", "page_import", "import", ":material/upload_file:", Role.EDITOR),
    ("pages/present.py", "page_present", "present", ":material/slideshow:", Role.VIEWER),
    ("pages/audit.py", "page_audit", "audit", ":material/history:", Role.ADMIN),
    ("pages/users.py", "page_users", "users", ":material/group:", Role.ADMIN),
]


def _pages(lang: str, allowed) -> list:
    return [
        st.Page(script, title=t(key, lang), url_path=path, icon=icon, default=i == 0)
        for i, (script, key, path, icon, role) in enumerate(PAGES)
        if allowed(role)
    ]


def _hide_pages() -> None:
    """On the refusal or sign-in screen: the pages exist (a deep link is kept), none is listed."""
    st.navigation(_pages("th", lambda role: True), position="hidden")


# stops here with the refusal or the sign-in when nobody may see data
who = _auth.actor(_hide_pages)
st.navigation(_pages(lang_for_navigation(), lambda role: _auth.may(who, role))).run()
