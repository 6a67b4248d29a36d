"""The data core: validated data, filters, the shared link state and the view of one request.

Pure Python and pandas/GeoPandas: no folium, no matplotlib, no streamlit. The web map
(geo.webmap) and the report images (geo.report) draw what this package computes.
"""
