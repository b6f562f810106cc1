---------------------- MODULE MCKernel_NoRefusedSend ----------------------
\* Witness: a full vector refuses a send.  The model of MCKernel, checking only that this
\* never happens; the manifest expects NoRefusedSend violated.
EXTENDS MCKernel
=============================================================================
