------------------------- MODULE MCKernel_NoWakeUp -------------------------
\* Witness: a send wakes a waiting thread.  The model of MCKernel, checking only that this
\* never happens; the manifest expects NoWakeUp violated.
EXTENDS MCKernel
=============================================================================
