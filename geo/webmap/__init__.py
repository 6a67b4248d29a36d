"""The interactive map (folium/Leaflet): layers, elements, its own script and styles, assets."""
