---------------------- MODULE MCPersistence_NoTornEnd ----------------------
\* Witness: replay meets a torn record at the end of the log.
\* The model of MCPersistence, checking only that this
\* never happens; the manifest expects NoTornEnd violated.
EXTENDS MCPersistence
=============================================================================
