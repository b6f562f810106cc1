--------------- MODULE MCKernelImplLifecycle_NoSharedProcess ----------------
\* Witness: a thread created in its creator's process (two threads share an address space) (CreateThread).
\* The model of MCKernelImplLifecycle, checking only that this
\* never happens; the manifest expects NoSharedProcess violated.
EXTENDS MCKernelImplLifecycle
=============================================================================
