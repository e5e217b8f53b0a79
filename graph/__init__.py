"""The support graph: state schema, builder, workflow subgraphs and the model factory."""
