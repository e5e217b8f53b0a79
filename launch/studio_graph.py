"""The graph as `langgraph.json` declares it: compiled without a checkpointer, because the
LangGraph server (`langgraph dev`, LangGraph Platform) supplies its own persistence."""

from graph.builder import compile_graph

graph = compile_graph()
