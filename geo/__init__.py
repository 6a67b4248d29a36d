"""France AI investment map: data, geo core, maps and exports (no Streamlit here)."""

__version__ = "0.1.0"
