"""The nodes of the main graph, one module each: sanitise, repair, route, compose, billing."""
