"""The framework's floor: a one-line Streamlit page, served by the same venv as the app."""

import streamlit as st

st.title("x")
