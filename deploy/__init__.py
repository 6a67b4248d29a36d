"""Serving the app for many readers: nginx in front of N Streamlit replicas (`make serve`).

settings.py holds the one set of settings; nginx.py renders nginx.conf.template from it;
supervisor.py starts, watches and stops the processes; serve.py is the command-line entry.
"""
