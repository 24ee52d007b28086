"""Streamlit components, the current person and language, translations, cached reads."""
