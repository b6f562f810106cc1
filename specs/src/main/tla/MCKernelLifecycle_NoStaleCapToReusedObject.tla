------------- MODULE MCKernelLifecycle_NoStaleCapToReusedObject -------------
\* Witness: a running thread holds a send capability to a deleted and reused thread object (its send is refused).
\* The model of MCKernelLifecycle, checking only that this
\* never happens; the manifest expects NoStaleCapToReusedObject violated.
EXTENDS MCKernelLifecycle
=============================================================================
