"""Rendering for readers, shared by the command line and the web page: briefings and condensed summaries."""
