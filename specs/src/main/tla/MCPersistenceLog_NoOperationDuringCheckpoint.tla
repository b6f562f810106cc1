----------- MODULE MCPersistenceLog_NoOperationDuringCheckpoint -----------
\* Witness: an operation runs while a checkpoint is being written.
\* The model of MCPersistenceLog, checking only that this
\* never happens; the manifest expects NoOperationDuringCheckpoint violated.
EXTENDS MCPersistenceLog
=============================================================================
