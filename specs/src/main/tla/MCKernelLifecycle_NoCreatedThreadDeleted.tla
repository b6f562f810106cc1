-------------- MODULE MCKernelLifecycle_NoCreatedThreadDeleted --------------
\* Witness: a thread created from a free object and deleted again.
\* The model of MCKernelLifecycle, checking only that this
\* never happens; the manifest expects NoCreatedThreadDeleted violated.
EXTENDS MCKernelLifecycle
=============================================================================
