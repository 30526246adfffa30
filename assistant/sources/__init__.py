"""Documents in: the corpus folder and its manifest, loaders per file format, renderings merged into one
`Document`, and chunks for retrieval."""
