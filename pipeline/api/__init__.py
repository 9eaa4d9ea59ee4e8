"""HTTP search API and the web page it serves."""
