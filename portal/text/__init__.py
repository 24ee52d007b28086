"""Words and numbers for readers, shared by pages and PDFs: catalogues, formats, sentences.

No Streamlit here: the pages pass the session's language, the reports the one asked for.
"""
