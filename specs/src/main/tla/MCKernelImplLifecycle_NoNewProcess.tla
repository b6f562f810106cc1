----------------- MODULE MCKernelImplLifecycle_NoNewProcess -----------------
\* Witness: a thread created in a process object no thread used at boot (CreateProcess).
\* The model of MCKernelImplLifecycle, checking only that this
\* never happens; the manifest expects NoNewProcess violated.
EXTENDS MCKernelImplLifecycle
=============================================================================
