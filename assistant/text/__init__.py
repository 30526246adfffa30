"""Text as the other layers read it: normalised words and stems, languages, sentences, layout marks."""
