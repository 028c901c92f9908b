"""Sangkhro dashboard: routes to the pages (each page renders its own sidebar and content)."""

import streamlit as st

from analysis.i18n import t
from pages._common import lang_for_navigation

st.set_page_config(page_title="Sangkhro สังเคราะห์", page_icon=":material/forum:", layout="wide")

lang = lang_for_navigation()
st.navigation(
    [
        st.Page(
            "pages/overview.py",
            title=t("page_overview", lang),
            url_path="overview",
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(
            "pages/sessions.py",
            title=t("page_sessions", lang),
            url_path="sessions",
            icon=":material/forum:",
        ),
        st.Page(
            "pages/agencies.py",
            title=t("page_agencies", lang),
            url_path="agencies",
            icon=":material/apartment:",
        ),
        st.Page(
            "pages/themes.py",
            title=t("page_themes", lang),
            url_path="themes",
            icon=":material/sell:",
        ),
        st.Page(
            "pages/recommendations.py",
            title=t("page_recommendations", lang),
            url_path="recommendations",
            icon=":material/checklist:",
        ),
        st.Page(
            "pages/import_review.py",
            title=t("page_import", lang),
            url_path="import",
            icon=":material/upload_file:",
        ),
        st.Page(
            "pages/present.py",
            title=t("page_present", lang),
            url_path="present",
            icon=":material/slideshow:",
        ),
    ]
).run()
