"""The web interface: the page (`app`, which alone loads Gradio), its texts and HTML (`strings`, `render`), sign-in
(`auth`, and `signin` with `guard` for a team: limits on guessing, sign-ins that end, the sign-in log), the security
headers (`headers`) and the HTTP server (`server`)."""
