"""The web interface: the page (`app`, which alone loads Gradio), its texts and HTML (`strings`, `render`), sign-in
(`auth`) and the HTTP server (`server`)."""
