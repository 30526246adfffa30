"""Measuring the assistant: gold sets, judges that do not share the answerer's verifier, metrics, reports and a
naive baseline to compare with."""
