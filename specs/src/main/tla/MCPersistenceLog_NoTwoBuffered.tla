------------------ MODULE MCPersistenceLog_NoTwoBuffered ------------------
\* Witness: two records wait in the buffer at once.
\* The model of MCPersistenceLog, checking only that this
\* never happens; the manifest expects NoTwoBuffered violated.
EXTENDS MCPersistenceLog
=============================================================================
