--------------------- MODULE MCPersistence_NoSlotReuse ---------------------
\* Witness: a slot of the circular log is reused.
\* The model of MCPersistence, checking only that this
\* never happens; the manifest expects NoSlotReuse violated.
EXTENDS MCPersistence
=============================================================================
