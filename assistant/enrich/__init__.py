"""What is read out of a document at ingest: its overview (sections, glossary, timeline, actors), the references
it cites, and what its header and signature say about itself."""
