------------------ MODULE MCPersistenceLog_NoCreatedObjectRecovered ------------------
\* Witness: an object absent at boot is created, checkpointed and restored by a recovery.
\* The model of MCPersistenceLog, checking only that this
\* never happens; the manifest expects NoCreatedObjectRecovered violated.
EXTENDS MCPersistenceLog
=============================================================================
