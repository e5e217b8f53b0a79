"""What every workflow shares: the subgraph (`subgraph`), the policy interface (`policy`), reading the
transcript (`transcript`) and the customer's answers (`answers`), confirm-then-write (`confirm`) and
the lookup-only decision (`lookup`)."""
