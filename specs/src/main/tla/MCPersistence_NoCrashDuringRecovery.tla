---------------- MODULE MCPersistence_NoCrashDuringRecovery ----------------
\* Witness: a crash strikes during recovery.  The model of MCPersistence, checking only that this
\* never happens; the manifest expects NoCrashDuringRecovery violated.
EXTENDS MCPersistence
=============================================================================
