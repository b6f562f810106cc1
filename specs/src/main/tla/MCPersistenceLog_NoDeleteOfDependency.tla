------------------ MODULE MCPersistenceLog_NoDeleteOfDependency ------------------
\* Witness: an object others depend on is deleted, after its dependents.
\* The model of MCPersistenceLog, checking only that this
\* never happens; the manifest expects NoDeleteOfDependency violated.
EXTENDS MCPersistenceLog
=============================================================================
