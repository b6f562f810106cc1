----------------- MODULE MCKernelCaps_NoRevokeOfGrandchild -----------------
\* Witness: a revoke removes a grandchild of the revoked entry.
\* The model of MCKernelCaps, checking only that this
\* never happens; the manifest expects NoRevokeOfGrandchild violated.
EXTENDS MCKernelCaps
=============================================================================
