"""The demo outlets: fictional news sites served on loopback, with a gold-labelled corpus.

`corpus` reads the stories and their gold labels; `entries` dates and places an outlet's articles;
`pages` (with `parts`, `strings` and `templates/`), `feeds` and `images` render what an outlet
serves; `responses` adds validators and conditional GET; `site` routes one outlet's requests;
`faults` is the hook for misbehaving outlets; `server` puts every outlet on its own port.
The pipeline never imports this package: it reaches the demo outlets over HTTP only.
"""
